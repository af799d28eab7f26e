/**
 * `segflow fix`: the smallest policy change that allows a denied flow (and its group), through
 * the API (`POST /api/v1/fixes`), verified by replay over the stored flows.
 *
 *   SEGFLOW_API_TOKEN=… segflow fix --src 10.244.1.10 --dst 10.244.2.10 --protocol tcp --dst-port 5432 > fix.yaml
 *   segflow fix … --staged             # StagedNetworkPolicy variants, for a staged trial
 *   segflow fix … --format diff        # the diffs instead of the documents
 *
 * stdout gets the documents (ready for `calicoctl apply -f`, `kubectl apply -f` or
 * `segflow inventory apply -f`), a diff or the JSON answer; stderr the decisive steps, the edits
 * and the replay result, so a pipe gets only what it applies. Exit 1 when no complete fix was
 * found; with --fail-on-change, exit 3 when the replay shows flows outside the target group
 * changing verdict (or the target group was not in the history).
 */
import { Option, type Command } from 'commander';
import { apiToken, postApi } from './api-request.ts';

export interface FixOptions {
  src: string;
  dst: string;
  protocol: string;
  dstPort?: string;
  srcPort?: string;
  time?: string;
  hours: string;
  staged?: boolean;
  format: 'yaml' | 'diff' | 'json';
  failOnChange?: boolean;
  apiUrl: string;
  tokenFile?: string;
}

function intOption(name: string, value: string | undefined, min: number, max: number, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    problems.push(`${name}: expected an integer ${min}-${max}, got "${value}"`);
    return undefined;
  }
  return Number(value);
}

/** The request body for the options; throws naming every bad option. */
export function fixRequestBody(o: FixOptions): Record<string, unknown> {
  const problems: string[] = [];
  const dstPort = intOption('--dst-port', o.dstPort, 0, 65535, problems);
  const srcPort = intOption('--src-port', o.srcPort, 0, 65535, problems);
  const hours = intOption('--hours', o.hours, 1, 10_000, problems);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return {
    src: o.src, dst: o.dst, protocol: o.protocol, hours,
    ...(dstPort !== undefined ? { dst_port: dstPort } : {}), ...(srcPort !== undefined ? { src_port: srcPort } : {}),
    ...(o.time !== undefined ? { time: o.time } : {}), staged: o.staged === true,
  };
}

interface ReplayGroupOut { key: string; flows: number; target: boolean }
export interface FixAnswer {
  allowed: boolean;
  before: { verdict: string; egress: { trace: string[] }; ingress: { trace: string[] } };
  after: { verdict: string; egress: { trace: string[] }; ingress: { trace: string[] } };
  edits: { policy: { kind: string; namespace: string | null; name: string }; action: string; index: number; reason: string }[];
  changes: { diff: string; apply_with: string; kind: string; namespace: string | null; name: string }[];
  yaml: string;
  staged_yaml?: string;
  replay: null | {
    range: { from: string; to: string }; evaluated: number; deny_to_allow: number; allow_to_deny: number; truncated: boolean;
    target_found: boolean; target_flows: number; allowed_groups: ReplayGroupOut[]; other_changes: ReplayGroupOut[]; other_changed_flows: number;
  };
  notes: string[];
}

/** True when the replay proves the fix: the target group was seen and nothing else changes. */
export function fixVerified(a: FixAnswer): boolean {
  return a.replay !== null && a.replay.target_found && a.replay.other_changes.length === 0;
}

/** The human summary written to stderr. */
export function fixSummary(a: FixAnswer): string {
  const lines = [
    `before: ${a.before.verdict} (egress ${a.before.egress.trace.join(' → ') || '-'}; ingress ${a.before.ingress.trace.join(' → ') || '-'})`,
    ...a.edits.map((e) => `edit ${e.policy.kind} ${e.policy.namespace ? `${e.policy.namespace}/` : ''}${e.policy.name}: ${e.action} rule at ${e.index} — ${e.reason}`),
    ...a.changes.map((c) => `apply with: ${c.apply_with} apply -f (${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name})`),
    `after: ${a.after.verdict} (egress ${a.after.egress.trace.join(' → ') || '-'}; ingress ${a.after.ingress.trace.join(' → ') || '-'})`,
  ];
  const r = a.replay;
  if (r !== null) {
    lines.push(`replay ${r.range.from} .. ${r.range.to}: ${r.evaluated} flow(s) evaluated, ${r.deny_to_allow} denied → allowed, ${r.allow_to_deny} allowed → denied${r.truncated ? ' (truncated)' : ''}`);
    lines.push(...r.allowed_groups.map((g) => `  allowed now: ${g.key} (${g.flows})${g.target ? ' ← target' : ''}`));
    lines.push(...r.other_changes.map((g) => `  also changes: ${g.key} (${g.flows})`));
    lines.push(fixVerified(a) ? `verified: the target group (${r.target_flows} flow(s)) is allowed and no other flow changes verdict`
      : r.target_found ? `NOT verified: ${r.other_changed_flows} other flow(s) change verdict (listed above)` : 'NOT verified: the target group has no stored flow in the range');
  }
  lines.push(...a.notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}

const DESCRIPTION = 'suggest the smallest policy change that allows a denied flow group (through the API), verified by replay over the stored flows';

export function registerFixCommand(program: Command): void {
  program.command('fix')
    .description(DESCRIPTION)
    .requiredOption('--src <ip>', 'source IP of a flow of the denied group')
    .requiredOption('--dst <ip>', 'destination IP (after DNAT: the pod, not the Service)')
    .requiredOption('--protocol <proto>', 'tcp, udp, sctp, icmp, icmpv6 or a number')
    .option('--dst-port <port>', 'destination port')
    .option('--src-port <port>', 'source port')
    .option('--time <iso>', 'resolve the addresses as of this time (the flow\'s time)')
    .option('--hours <n>', 'replay the stored flows of the last N hours', '24')
    .option('--staged', 'output the changed policies as staged policies (a staged trial)')
    .addOption(new Option('--format <format>', 'yaml: the documents on stdout, the summary on stderr; diff: the diffs; json: the whole answer').choices(['yaml', 'diff', 'json']).default('yaml'))
    .option('--fail-on-change', 'exit 3 unless the replay shows the target group allowed and no other flow changing')
    .addOption(new Option('--api-url <url>', 'segflow API base URL').env('SEGFLOW_API_URL').default('http://127.0.0.1:8080'))
    .option('--token-file <file>', 'file holding the API token (else SEGFLOW_API_TOKEN)')
    .action(async (opts: FixOptions) => {
      const answer = await postApi<FixAnswer>(opts.apiUrl, '/api/v1/fixes', fixRequestBody(opts), await apiToken(opts.tokenFile));
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      else {
        process.stdout.write(opts.format === 'diff' ? answer.changes.map((c) => c.diff).join('') : (opts.staged === true ? answer.staged_yaml ?? '' : answer.yaml));
        process.stderr.write(fixSummary(answer));
      }
      if (!answer.allowed) process.exitCode = 1;
      else if (opts.failOnChange === true && !fixVerified(answer)) process.exitCode = 3;
    });
}
