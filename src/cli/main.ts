/**
 * The `segflow` command line: one entry point, one subcommand per role. Each component owns
 * its command (`register*Command(program)`), so this file only wires them together.
 */
import { Command, CommanderError } from 'commander';
import { registerCollectCommand } from '../collector/collect-command.ts';
import { registerEnrichCommand } from '../enricher/enrich-command.ts';
import { registerExplainCommand } from './explain-command.ts';
import { registerInventoryCommand } from './inventory-command.ts';
import { registerKibanaCommand } from '../kibana/kibana-command.ts';
import { registerServicesCommand } from '../services/services-command.ts';
import { registerUpCommand } from './up-command.ts';
import { registerApiCommand } from '../api/api-command.ts';

/** Builds the full command tree; exported for tests that drive the CLI in process. */
export function buildProgram(): Command {
  const program = new Command('segflow')
    .description('Flow-log enrichment and analytics for microsegmented networks')
    .version('0.1.0')
    .showHelpAfterError();
  registerUpCommand(program);
  registerServicesCommand(program);
  registerApiCommand(program);
  registerInventoryCommand(program);
  registerExplainCommand(program);
  registerCollectCommand(program);
  registerEnrichCommand(program);
  registerKibanaCommand(program);
  return program;
}

/** Runs the CLI; usage errors exit 2 with a one-line reason, as the explain contract requires. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return;
      process.exitCode = 2;
      return;
    }
    // A role that cannot start (bad option value, unreachable service) says why in one line;
    // SEGFLOW_LOG_LEVEL=debug adds the stack for a developer.
    process.stderr.write(`segflow: ${(err as Error).message}\n`);
    if (process.env.SEGFLOW_LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    process.exitCode = 1;
  }
}
