import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { Command } from 'commander';
import { collectOptionsToConfig, registerCollectCommand } from '../../../src/collector/collect-command.ts';
import { minimumSpoolBytes, resolveCollectorConfig, type CollectorConfigInput } from '../../../src/collector/collector-config.ts';
import { Collector } from '../../../src/collector/collector.ts';

/** The configuration `segflow collect <args>` resolves to (the command's action is replaced: nothing starts). */
async function configFromFlags(args: string[]): Promise<ReturnType<typeof resolveCollectorConfig>> {
  const program = new Command().exitOverride();
  registerCollectCommand(program);
  const collect = program.commands.find((c) => c.name() === 'collect')!;
  let captured: Record<string, unknown> | undefined;
  collect.action((options: Record<string, unknown>) => {
    captured = options;
  });
  await program.parseAsync(['collect', ...args], { from: 'user' });
  return resolveCollectorConfig(collectOptionsToConfig(captured as never));
}

/** Starts a collector with `conntrack` options that cannot work; asserts it rejects with `expected` and ends stopped. */
async function assertStartFails(conntrack: CollectorConfigInput['conntrack'], expected: RegExp): Promise<Collector> {
  const collector = new Collector({
    nodeName: 'n',
    kafka: { brokers: ['127.0.0.1:1'] },
    conntrack,
    spool: { directory: `/tmp/segflow-test-spool-${process.pid}-${Math.random().toString(36).slice(2, 8)}` },
    http: null,
  });
  try {
    await assert.rejects(collector.start(), expected);
    assert.equal(collector.status().state, 'stopped');
  } finally {
    await rm(collector.config.spool.directory, { recursive: true, force: true });
  }
  return collector;
}

describe('collector configuration', () => {
  it('fills in the documented defaults', () => {
    const config = resolveCollectorConfig({ nodeName: 'node1', kafka: { brokers: ['k:9092'] } });
    assert.equal(config.agentId, 'node1');
    assert.deepEqual(config.sources, ['conntrack']);
    assert.equal(config.kafka.topic, 'flows.raw');
    assert.equal(config.kafka.clientId, 'segflow-collector-node1');
    assert.equal(config.conntrack.snapshotIntervalMs, 10_000);
    assert.deepEqual(config.conntrack.commandPrefix, []);
    assert.equal(config.conntrack.enableSysctls, false);
    assert.deepEqual(config.batch, { maxRecords: 5000, maxDelayMs: 1000, maxBytes: 900_000, heartbeatMs: 30_000 });
    assert.equal(config.spool.maxBytes, 256 * 1024 * 1024);
    assert.equal(config.spool.segmentBytes, 8 * 1024 * 1024);
    assert.match(config.spool.directory, /segflow-collector-spool-node1$/);
    assert.deepEqual(config.http, { host: '0.0.0.0', port: 9465 });
  });

  it('rejects values that cannot work, naming the option', () => {
    assert.throws(() => resolveCollectorConfig({ kafka: { brokers: [] } }), /kafka\.brokers is empty/);
    assert.throws(() => resolveCollectorConfig({ kafka: { brokers: ['k:1'] }, batch: { maxRecords: 0 } }), /batch\.maxRecords must be a positive number/);
    assert.throws(
      () => resolveCollectorConfig({ kafka: { brokers: ['k:1'] }, spool: { maxBytes: 100_000 } }),
      /spool\.maxBytes \(--spool-max-bytes 100000\) is below its floor of 3600048 bytes/,
    );
    // The floor itself is accepted, one byte less is not.
    assert.equal(resolveCollectorConfig({ kafka: { brokers: ['k:1'] }, spool: { maxBytes: minimumSpoolBytes() } }).spool.segmentBytes, 900_012);
    assert.throws(() => resolveCollectorConfig({ kafka: { brokers: ['k:1'] }, spool: { maxBytes: minimumSpoolBytes() - 1 } }), /below its floor/);
    assert.throws(
      () => resolveCollectorConfig({ kafka: { brokers: ['k:1'] }, spool: { maxBytes: 1 << 20, segmentBytes: 1 << 19 } }),
      /batch\.maxBytes \(900000\) must fit in a spool segment/,
    );
  });

  it('maps the segflow collect flags onto the configuration', async () => {
    const config = await configFromFlags(['--brokers', 'a:9092,b:9092', '--node-name', 'n1', '--netns', 'node1', '--enable-conntrack-sysctls', '--snapshot-interval', '5', '--no-http']);
    assert.deepEqual(config.kafka.brokers, ['a:9092', 'b:9092']);
    assert.equal(config.nodeName, 'n1');
    assert.deepEqual(config.conntrack.commandPrefix, ['ip', 'netns', 'exec', 'node1']);
    assert.equal(config.conntrack.enableSysctls, true);
    assert.equal(config.conntrack.snapshotIntervalMs, 5000);
    assert.equal(config.http, null);
    assert.equal(config.conntrack.reader, 'netlink', 'the netlink reader by default');
  });

  it('maps --conntrack-reader and --conntrack-reader-path, and SEGFLOW_CONNTRACK_READER, and refuses other readers', async () => {
    const parse = (args: string[]) => configFromFlags(['--brokers', 'a:9092', ...args]);
    const cli = await parse(['--conntrack-reader', 'cli']);
    assert.equal(cli.conntrack.reader, 'cli');
    const prebuilt = await parse(['--conntrack-reader-path', '/opt/segflow-conntrack-reader']);
    assert.deepEqual([prebuilt.conntrack.reader, prebuilt.conntrack.readerPath], ['netlink', '/opt/segflow-conntrack-reader']);
    process.env.SEGFLOW_CONNTRACK_READER = 'cli';
    try {
      assert.equal((await parse([])).conntrack.reader, 'cli');
    } finally {
      delete process.env.SEGFLOW_CONNTRACK_READER;
    }
    await assert.rejects(parse(['--conntrack-reader', 'xml']), /Allowed choices are netlink, cli/);
  });

  it('fails to start, and says why, when the conntrack tool is missing', async () => {
    await assertStartFails({ reader: 'cli', conntrackPath: '/nonexistent/conntrack' }, /\/nonexistent\/conntrack/);
  });

  it('fails to start, naming the reader, when the netlink conntrack reader cannot run (no silent fallback to the tool)', async () => {
    const collector = await assertStartFails(
      { readerPath: '/nonexistent/segflow-conntrack-reader' },
      /cannot run the netlink conntrack reader \(\/nonexistent\/segflow-conntrack-reader events --buffer-size 8388608\): spawn \/nonexistent\/segflow-conntrack-reader ENOENT/,
    );
    assert.equal(collector.config.conntrack.reader, 'netlink', 'netlink is the default reader');
  });

  it('refuses an unknown conntrack reader, naming the choices', () => {
    assert.throws(() => resolveCollectorConfig({ kafka: { brokers: ['k:9092'] }, conntrack: { reader: 'xml' as 'cli' } }), /conntrack\.reader must be one of netlink, cli, got "xml"/);
  });
});
