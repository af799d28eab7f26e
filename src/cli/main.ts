/**
 * The `segflow` command line: one entry point, one subcommand per role. Each component owns
 * its command (`register*Command(program)`); this file lists them in COMMANDS and imports only
 * the chosen command's module, so `segflow --help` or `segflow explain` does not load Kafka,
 * Elasticsearch or Fastify clients (bench/cli.ts measures the start).
 *
 * A new command is one more COMMANDS entry: its name, the one-line summary `segflow --help`
 * shows (test/unit/cli/command-table.test.ts checks it equals the command's own description),
 * and a `load` that imports its module.
 */
import { Command, CommanderError } from 'commander';

type RegisterCommand = (program: Command) => void;

/** One top-level subcommand, registered from its own module only when it is the one run. */
export interface CommandEntry {
  readonly name: string;
  /** What `segflow --help` lists; the same text as the command's `.description(...)`. */
  readonly summary: string;
  readonly load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'up',
    summary: 'run everything on this machine: local Kafka + Elasticsearch, inventory, collectors, enricher, API and web UI (demo shop and traffic unless --resources is given)',
    load: async () => (await import('./up-command.ts')).registerUpCommand,
  },
  {
    name: 'services',
    summary: 'run the local Kafka (KRaft) and Elasticsearch on this machine\'s JDK, from Maven Central artifacts',
    load: async () => (await import('../services/services-command.ts')).registerServicesCommand,
  },
  {
    name: 'api',
    summary: 'serve the query API (flow search, stats, denied-flow troubleshooting, explain/preview) over Elasticsearch',
    // The composition of the API and the web UI: neither role imports the other.
    load: async () => {
      const [{ registerApiCommand }, { uiPlugin }] = await Promise.all([import('../api/api-command.ts'), import('../ui/ui-plugin.ts')]);
      return (program) => registerApiCommand(program, [uiPlugin]);
    },
  },
  {
    name: 'inventory',
    summary: 'publish Calico and Kubernetes resources to the inventory topic the enricher and API follow',
    load: async () => (await import('./inventory-command.ts')).registerInventoryCommand,
  },
  {
    name: 'explain',
    summary: 'decide one flow against Calico/Kubernetes resources and show which tier, policy and rule allowed or denied it',
    load: async () => (await import('./explain-command.ts')).registerExplainCommand,
  },
  {
    name: 'recommend',
    summary: 'recommend policies for a namespace from its observed traffic (through the API), verified by replay over the stored flows',
    load: async () => (await import('./recommend-command.ts')).registerRecommendCommand,
  },
  {
    name: 'fix',
    summary: 'suggest the smallest policy change that allows a denied flow group (through the API), verified by replay over the stored flows',
    load: async () => (await import('./fix-command.ts')).registerFixCommand,
  },
  {
    name: 'collect',
    summary: 'run the node agent: read flows (conntrack, eBPF, or synthetic), batch them, publish to Kafka (spooling to disk while Kafka is down)',
    load: async () => (await import('../collector/collect-command.ts')).registerCollectCommand,
  },
  {
    name: 'enrich',
    summary: 'consume raw flow batches, enrich them with endpoints and policy verdicts, index them in Elasticsearch',
    load: async () => (await import('../enricher/enrich-command.ts')).registerEnrichCommand,
  },
  {
    name: 'goldmane',
    summary: 'read Calico\'s own flow logs from Goldmane (Calico OSS 3.30+) and publish them to the raw topic for the enricher',
    load: async () => (await import('../goldmane/goldmane-command.ts')).registerGoldmaneCommand,
  },
  {
    name: 'summaries',
    summary: 'build the stats summaries of stored flows (backfill after an upgrade)',
    load: async () => (await import('./summaries-command.ts')).registerSummariesCommand,
  },
  {
    name: 'install',
    summary: 'install what segflow needs in the services it uses (Elasticsearch roles)',
    load: async () => (await import('./install-command.ts')).registerInstallCommand,
  },
  {
    name: 'kibana',
    summary: 'Kibana data view and dashboards for the flow indices',
    load: async () => (await import('../kibana/kibana-command.ts')).registerKibanaCommand,
  },
];

/** The subcommand `argv` runs (`segflow help <name>` included), or undefined for top-level help/version. */
export function chosenCommand(argv: readonly string[]): string | undefined {
  const args = argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  if (first === 'help') return args.slice(args.indexOf('help') + 1).find((a) => !a.startsWith('-'));
  return first;
}

/**
 * Builds the command tree with the named commands registered in full (all of them when `load`
 * is 'all', as tests that drive the CLI in process want); the rest are one-line entries that
 * only `--help` reads.
 */
export async function buildProgram(load: 'all' | readonly string[] = 'all'): Promise<Command> {
  const program = new Command('segflow')
    .description('Flow-log enrichment and analytics for microsegmented networks')
    .version('0.1.0')
    .showHelpAfterError();
  for (const entry of COMMANDS) {
    if (load === 'all' || load.includes(entry.name)) (await entry.load())(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/** Runs the CLI; usage errors exit 2 with a one-line reason, as the explain contract requires. */
export async function main(argv: string[]): Promise<void> {
  const chosen = chosenCommand(argv);
  const program = await buildProgram(chosen === undefined ? [] : [chosen]);
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
