/**
 * `segflow recommend`: recommended policies for a namespace from its observed traffic, through
 * the API (`POST /api/v1/recommendations`), verified by replay.
 *
 *   SEGFLOW_API_TOKEN=… segflow recommend --namespace data --from now-24h --tier security > data.yaml
 *   segflow recommend --namespace data --output kubernetes --format json
 *
 * The YAML goes to stdout (ready for `calicoctl apply -f`, `kubectl apply -f` or
 * `segflow inventory apply -f`); the summary and the replay result go to stderr, so a pipe gets
 * only the manifests. The token is read from SEGFLOW_API_TOKEN or --token-file, never from argv.
 */
import { Option, type Command } from 'commander';
import { apiToken, postApi } from './api-request.ts';

export interface RecommendOptions {
  apiUrl: string;
  tokenFile?: string;
  namespace: string;
  workload?: string;
  from?: string;
  to?: string;
  output: 'staged' | 'calico' | 'kubernetes';
  tier?: string;
  order?: string;
  dns: boolean;
  dnsNamespace?: string;
  dnsLabel?: string[];
  networkSets: 'namespaced' | 'global';
  format: 'yaml' | 'json';
  failOnChange?: boolean;
}

/** The request body for the options; throws with every bad option named. */
export function recommendationBody(o: RecommendOptions): Record<string, unknown> {
  const problems: string[] = [];
  const body: Record<string, unknown> = { namespace: o.namespace, output: o.output, network_sets: o.networkSets };
  if (o.workload !== undefined) body.workload = o.workload;
  if (o.from !== undefined) body.from = o.from;
  if (o.to !== undefined) body.to = o.to;
  if (o.tier !== undefined) body.tier = o.tier;
  if (o.order !== undefined) {
    const n = Number(o.order);
    if (!/^\d+(\.\d+)?$/.test(o.order) || !Number.isFinite(n)) problems.push(`--order: expected a non-negative number, got "${o.order}"`);
    else body.order = n;
  }
  if (!o.dns) body.dns = false;
  if (o.dnsNamespace !== undefined) body.dns_namespace = o.dnsNamespace;
  if (o.dnsLabel !== undefined) {
    const labels: Record<string, string> = {};
    for (const l of o.dnsLabel) {
      const m = /^([^=\s]+)=([^=\s]*)$/.exec(l);
      if (!m) problems.push(`--dns-label: expected key=value, got "${l}"`);
      else labels[m[1] as string] = m[2] as string;
    }
    body.dns_labels = labels;
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return body;
}

interface RecommendationAnswer {
  yaml: string;
  workloads: { name: string; policy: string; selector: string; ingress_rules: number; egress_rules: number; flows: number }[];
  network_sets: { name: string; nets: string[] }[];
  dns: { note: string };
  warnings: string[];
  observed: { allowed: number; denied_not_recommended: number; truncated: boolean };
  replay: { evaluated: number; allowed_kept: number; allowed_not_replayed: number; allow_to_deny: number; deny_to_allow: number; verified: boolean; truncated: boolean; changed_groups: { key: string; flows: number }[] };
  range: { from: string; to: string };
}

/** The human summary written to stderr. */
export function recommendationSummary(a: RecommendationAnswer): string {
  const lines = [
    `observed ${a.range.from} .. ${a.range.to}: ${a.observed.allowed} allowed report(s) used, ${a.observed.denied_not_recommended} denied report(s) left out (a denied flow is a fix, not a recommendation)${a.observed.truncated ? ' (scan truncated)' : ''}`,
    ...a.workloads.map((w) => `  ${w.policy}: ${w.selector} — ${w.ingress_rules} ingress, ${w.egress_rules} egress rule(s), ${w.flows} report(s)`),
    ...a.network_sets.map((s) => `  network set ${s.name}: ${s.nets.join(', ')}`),
    `dns: ${a.dns.note}`,
    ...a.warnings.map((w) => `warning: ${w}`),
    `replay (enforced): ${a.replay.evaluated} flow(s) evaluated, ${a.replay.allowed_kept} allowed flow(s) stay allowed, ${a.replay.allow_to_deny} allowed → denied, ${a.replay.deny_to_allow} denied → allowed${a.replay.truncated ? ' (truncated)' : ''}`,
    ...a.replay.changed_groups.map((g) => `  changed: ${g.key} (${g.flows})`),
    ...(a.replay.allowed_not_replayed > 0 ? [`  ${a.replay.allowed_not_replayed} allowed report(s) could not be replayed: an end had neither a stored address nor a representative endpoint (public/private networks, workloads gone)`] : []),
    a.replay.verified ? 'verified: every observed allowed flow stays allowed' : 'NOT verified: see above',
  ];
  return `${lines.join('\n')}\n`;
}

/** Calls the API; resolves with the answer or throws with the API's error message. */
export async function requestRecommendation(o: RecommendOptions): Promise<RecommendationAnswer & Record<string, unknown>> {
  return await postApi<RecommendationAnswer & Record<string, unknown>>(o.apiUrl, '/api/v1/recommendations', recommendationBody(o), await apiToken(o.tokenFile));
}

const DESCRIPTION = 'recommend policies for a namespace from its observed traffic (through the API), verified by replay over the stored flows';

export function registerRecommendCommand(program: Command): void {
  program.command('recommend')
    .description(DESCRIPTION)
    .requiredOption('-n, --namespace <name>', 'namespace whose workloads get policies')
    .option('-w, --workload <name>', 'only this workload (a name the recommendation lists)')
    .option('--from <time>', 'start of the observed range (ISO 8601 with zone or now-24h; default: 24 hours before --to)')
    .option('--to <time>', 'end of the observed range (default now)')
    .addOption(new Option('-o, --output <kind>', 'staged: Calico StagedNetworkPolicy; calico: enforced Calico NetworkPolicy; kubernetes: networking.k8s.io/v1').choices(['staged', 'calico', 'kubernetes']).default('staged'))
    .option('--tier <name>', 'Calico tier of the policies (must exist; default: default)')
    .option('--order <n>', 'Calico order within the tier (default 1000)')
    .option('--no-dns', 'add no rule for the cluster DNS')
    .option('--dns-namespace <name>', 'namespace of the cluster DNS (default kube-system)')
    .option('--dns-label <key=value...>', 'labels of the cluster DNS pods (default k8s-app=kube-dns)')
    .addOption(new Option('--network-sets <scope>', 'external addresses as NetworkSets of the namespace or GlobalNetworkSets').choices(['namespaced', 'global']).default('namespaced'))
    .addOption(new Option('--format <format>', 'yaml: the manifests on stdout, the summary on stderr; json: the whole answer on stdout').choices(['yaml', 'json']).default('yaml'))
    .option('--fail-on-change', 'exit 3 when the replay finds an observed allowed flow the recommendation would deny')
    .addOption(new Option('--api-url <url>', 'segflow API base URL').env('SEGFLOW_API_URL').default('http://127.0.0.1:8080'))
    .option('--token-file <file>', 'file holding the API token (else SEGFLOW_API_TOKEN)')
    .action(async (opts: RecommendOptions) => {
      const answer = await requestRecommendation(opts);
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      else {
        process.stdout.write(answer.yaml);
        process.stderr.write(recommendationSummary(answer));
      }
      if (opts.failOnChange === true && !answer.replay.verified) process.exitCode = 3;
    });
}
