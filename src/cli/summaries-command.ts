/**
 * `segflow summaries rebuild --from <time> --to <time>`: writes the stats summaries
 * (contract/flow-summary.ts) of every block overlapping the range from the flow documents
 * stored now — the backfill after an upgrade, or after summaries were lost. Safe to run while
 * the enricher runs (a block's summary is replaced whole) and to run again.
 *
 *   segflow summaries rebuild --from now-7d --to now --elasticsearch https://es:9200 --elasticsearch-api-key-file key
 */
import { Option, type Command } from 'commander';
import { DEFAULT_FLOW_INDEX_PREFIX } from '../contract/flow-index-names.ts';
import { SUMMARY_BLOCK_MS } from '../contract/flow-summary.ts';
import { SummaryRollup } from '../enricher/summary/summary-rollup.ts';
import { createElasticsearchClient } from '../runtime/elasticsearch-client.ts';
import { openElasticsearchConnection } from '../runtime/elasticsearch-security.ts';
import { addElasticsearchConnectionOptions } from '../runtime/role-config/elasticsearch-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A time bound: an ISO 8601 time, `now`, or `now-<n><s|m|h|d>`. Throws naming the option. */
export function parseRebuildTime(option: string, text: string, nowMs: number): number {
  const relative = /^now(?:-(\d+)([smhd]))?$/.exec(text);
  if (relative) return nowMs - (relative[1] === undefined ? 0 : Number(relative[1]) * (UNITS[relative[2] as string] as number));
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`${option}: expected an ISO 8601 time (2026-12-01T00:00:00Z), now or now-<n><s|m|h|d>, got ${JSON.stringify(text)}`);
  return ms;
}

interface RebuildOptions { from: string; to: string; indexPrefix: string }

export function registerSummariesCommand(program: Command): void {
  const summaries = program.command('summaries').description('build the stats summaries of stored flows (backfill after an upgrade)');
  addElasticsearchConnectionOptions(addRoleConfigOptions(summaries.command('rebuild')))
    .description('summarise every five-minute block of stored flows overlapping --from..--to (replaces existing summaries)')
    .requiredOption('--from <time>', 'start: ISO 8601, now or now-<n><s|m|h|d>')
    .addOption(new Option('--to <time>', 'end (exclusive)').default('now'))
    .option('--index-prefix <prefix>', 'daily flow index prefix', DEFAULT_FLOW_INDEX_PREFIX)
    .action(roleAction<RebuildOptions>({ role: 'summaries rebuild', elasticsearch: true }, async (prepared, opts) => {
      const now = Date.now();
      const problems: string[] = [];
      const bound = (option: string, text: string): number => {
        try {
          return parseRebuildTime(option, text, now);
        } catch (err) {
          problems.push((err as Error).message);
          return NaN;
        }
      };
      const fromMs = bound('--from', opts.from);
      const toMs = bound('--to', opts.to);
      if (problems.length === 0 && fromMs >= toMs) problems.push(`--from (${new Date(fromMs).toISOString()}) must be before --to (${new Date(toMs).toISOString()})`);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      const connection = await openElasticsearchConnection(prepared.elasticsearch!);
      const client = createElasticsearchClient(connection);
      try {
        const blocks = SummaryRollup.blocksIn(fromMs, toMs);
        const rollup = new SummaryRollup({ client, prefix: opts.indexPrefix });
        const started = performance.now();
        let done = { blocks: 0, flows: 0, entries: 0 };
        // A day at a time, so progress shows and a failure keeps what was written.
        const perStep = 86_400_000 / SUMMARY_BLOCK_MS;
        for (let i = 0; i < blocks.length; i += perStep) {
          const r = await rollup.rollUp(blocks.slice(i, i + perStep));
          done = { blocks: done.blocks + r.blocks, flows: done.flows + r.flows, entries: done.entries + r.entries };
          process.stdout.write(`${new Date(blocks[Math.min(blocks.length, i + perStep) - 1] as number).toISOString()}: ${done.blocks}/${blocks.length} blocks, ${done.flows} flows, ${done.entries} summary entries\n`);
        }
        process.stdout.write(`summarised ${done.blocks} blocks (${done.flows} counted flows into ${done.entries} entries) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      } finally {
        await client.close();
      }
    }));
}
