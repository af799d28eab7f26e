/**
 * The CLI registers only the chosen command's module; `segflow --help` lists the others from
 * COMMANDS' summaries. These tests keep that table true to the commands themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { buildProgram, chosenCommand, COMMANDS } from '../../../src/cli/main.ts';

describe('CLI command table', () => {
  for (const entry of COMMANDS) {
    it(`${entry.name}: the module registers a command of that name whose description is the summary`, async () => {
      const program = new Command('segflow');
      (await entry.load())(program);
      assert.deepEqual(program.commands.map((c) => c.name()), [entry.name]);
      assert.equal(program.commands[0]!.description(), entry.summary);
    });
  }

  it('names are unique', () => {
    assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length);
  });

  it('finds the chosen command past options and after `help`', () => {
    const node = ['node', 'segflow'];
    assert.equal(chosenCommand([...node, '--help']), undefined);
    assert.equal(chosenCommand([...node, 'explain', '--src', 'x']), 'explain');
    assert.equal(chosenCommand([...node, 'help', 'api']), 'api');
    assert.equal(chosenCommand([...node, 'help']), undefined);
  });

  it('without a chosen command every entry is listed and none is loaded in full', async () => {
    const program = await buildProgram([]);
    assert.deepEqual(program.commands.map((c) => c.name()), COMMANDS.map((c) => c.name));
    // A loaded command has options or subcommands; the help-only entries have neither.
    for (const c of program.commands) assert.equal(c.options.length + c.commands.length, 0, c.name());
  });

  it('the chosen command is registered in full, the others as help entries', async () => {
    const program = await buildProgram(['explain']);
    const explain = program.commands.find((c) => c.name() === 'explain')!;
    assert.ok(explain.options.length > 0);
    assert.equal(program.commands.find((c) => c.name() === 'api')!.options.length, 0);
  });
});
