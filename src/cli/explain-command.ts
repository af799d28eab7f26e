/**
 * `segflow explain`: load resources, decide one flow, print the verdict with both sides' traces.
 *
 *   segflow explain --resources PATH... --src IP --dst IP --protocol tcp|udp|icmp|icmpv6|sctp|N
 *     [--dst-port N] [--src-port N] [--icmp-type N --icmp-code N] [--time ISO8601] [--output json]
 *
 * JSON: {"verdict", "source":{kind,name,namespace,labels,…}, "destination":{…},
 *        "egress":{"action","trace":[…],"stage","stages":[…],"pending":{"action","trace"},…}, "ingress":{…},
 *        "caveats":[…], "warnings":[…], …}.
 * `warnings` lists what the loader skipped or did not carry over (unknown kinds, ignored
 * fields, conversions Calico does differently); `caveats` what this verdict depended on of that.
 * Bad input exits 2 with a one-line reason on stderr.
 */
import type { Command } from 'commander';
import { Inventory } from '../inventory/inventory.ts';
import { loadResourcePaths } from '../inventory/loader/load-files.ts';
import { parseIp } from '../inventory/model/ip.ts';
import { parseProtocol, protocolName } from '../inventory/model/resources.ts';
import type { EndpointRef, FlowInput, ScopeResult, Verdict } from '../inventory/policy/verdict-engine.ts';
import { verdictJson } from '../inventory/policy/verdict-json.ts';
import type { LoadIssue } from '../inventory/loader/errors.ts';

interface ExplainOptions {
  resources: string[];
  src: string;
  dst: string;
  protocol: string;
  dstPort?: string;
  srcPort?: string;
  icmpType?: string;
  icmpCode?: string;
  time?: string;
  output?: string;
}

class UsageError extends Error {}

function intOption(name: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) > max) throw new UsageError(`${name} must be an integer 0–${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** Validates the options into a flow; throws UsageError with a one-line reason. */
export function flowFromOptions(o: Omit<ExplainOptions, 'resources' | 'output'>): FlowInput {
  const src = parseIp(o.src);
  if (!src) throw new UsageError(`--src is not an IP address: ${JSON.stringify(o.src)}`);
  const dst = parseIp(o.dst);
  if (!dst) throw new UsageError(`--dst is not an IP address: ${JSON.stringify(o.dst)}`);
  if (src.version !== dst.version) throw new UsageError(`--src ${src.text} and --dst ${dst.text} are of different IP versions`);
  const protocol = parseProtocol(/^[0-9]+$/.test(o.protocol) ? Number(o.protocol) : o.protocol);
  if (protocol === null) throw new UsageError(`--protocol must be tcp, udp, icmp, icmpv6, sctp or a number 1–255, got ${JSON.stringify(o.protocol)}`);
  const dstPort = intOption('--dst-port', o.dstPort, 65535);
  const srcPort = intOption('--src-port', o.srcPort, 65535);
  const icmpType = intOption('--icmp-type', o.icmpType, 255);
  const icmpCode = intOption('--icmp-code', o.icmpCode, 255);
  const isIcmp = protocol === 1 || protocol === 58;
  const hasPorts = protocol === 6 || protocol === 17 || protocol === 132 || protocol === 136;
  if (!hasPorts && (dstPort !== undefined || srcPort !== undefined)) throw new UsageError(`--dst-port/--src-port need protocol tcp, udp or sctp, not ${protocolName(protocol)}`);
  if (!isIcmp && (icmpType !== undefined || icmpCode !== undefined)) throw new UsageError(`--icmp-type/--icmp-code need protocol icmp or icmpv6, not ${protocolName(protocol)}`);
  if (icmpCode !== undefined && icmpType === undefined) throw new UsageError('--icmp-code requires --icmp-type');
  if (protocol === 1 && src.version === 6) throw new UsageError('protocol icmp with IPv6 addresses: use icmpv6');
  if (protocol === 58 && src.version === 4) throw new UsageError('protocol icmpv6 with IPv4 addresses: use icmp');
  let time: number | undefined;
  if (o.time !== undefined) {
    time = Date.parse(o.time);
    if (!/^\d{4}-\d{2}-\d{2}/.test(o.time) || Number.isNaN(time)) throw new UsageError(`--time must be an ISO 8601 timestamp, got ${JSON.stringify(o.time)}`);
  }
  return { srcIp: src.text, dstIp: dst.text, protocol, dstPort, srcPort, icmpType, icmpCode, time };
}

/**
 * Caveats from what the load skipped: a verdict may depend on any skipped policy document, since
 * it might have selected either endpoint (an unknown kind named like a policy).
 */
export function skippedPolicyCaveats(issues: readonly LoadIssue[]): string[] {
  const skipped = issues.filter((i) => i.severity === 'warning' && /^unknown kind "[^"]*Policy"/.test(i.reason));
  if (skipped.length === 0) return [];
  return [`${skipped.length} policy document(s) of kinds segflow does not know were skipped (${skipped.map((i) => `${i.file}: document ${i.document}`).join(', ')}): the verdict may differ from Calico's`];
}

function describeEndpoint(e: EndpointRef): string {
  switch (e.kind) {
    case 'workload': return `workload ${e.namespace}/${e.name} ${e.ip}${e.node ? ` on ${e.node}` : ''}`;
    case 'host': return `host endpoint ${e.name} ${e.ip}${e.node ? ` on ${e.node}` : ''}`;
    case 'networkset': return `${e.namespace ? `network set ${e.namespace}/` : 'global network set '}${e.name} containing ${e.ip}`;
    default: return `${e.kind} address ${e.ip} (not a known endpoint)`;
  }
}

const ACTION_TEXT: Record<string, string> = {
  'allow': 'allowed by a rule',
  'deny': 'denied by a rule',
  'end-of-tier-deny': 'denied at the end of a tier (a policy selected the endpoint but no rule matched)',
  'profile-allow': 'allowed by a profile (no policy decided)',
  'profile-deny': 'denied: no policy decided and no profile allowed',
  'no-endpoint': 'not evaluated: the address is not a known endpoint',
};

const STAGE_TEXT: Record<string, string> = {
  'failsafe': 'a failsafe port of the host endpoint (accepted before any policy)',
  'host-to-local-workload': 'a node\'s own traffic to its local workloads (Calico never polices it)',
  'untracked': 'an untracked (doNotTrack) host endpoint policy',
  'pre-dnat': 'a pre-DNAT host endpoint policy',
  'forward': 'an applyOnForward host endpoint policy (forwarded traffic)',
  'host': 'the host endpoint\'s policies',
  'workload': 'the workload\'s policies',
};

function traceLines(s: ScopeResult, indent: string): string[] {
  return s.hits.map((h) => {
    const what = h.kind === 'pro'
      ? `profile ${h.name}${h.ruleIndex >= 0 ? ` rule ${h.ruleIndex}` : ''}`
      : `${h.kind}:${h.namespace ? `${h.namespace}/` : ''}${h.name} ${h.endOfTier ? 'end of tier' : `rule ${h.ruleIndex}`}`;
    const mark = h === s.decidingHit ? '  <- decided' : '';
    return `${indent}${h.index}. tier ${h.tier}: ${what} -> ${h.action}${mark}`;
  });
}

/** The readable form printed without `--output json`. */
export function verdictText(v: Verdict, flow: FlowInput, skippedCaveats: readonly string[] = []): string {
  const proto = protocolName(flow.protocol);
  const ports = flow.dstPort !== undefined ? ` port ${flow.dstPort}` : flow.icmpType !== undefined ? ` type ${flow.icmpType}${flow.icmpCode !== undefined ? ` code ${flow.icmpCode}` : ''}` : '';
  const lines = [
    `${v.verdict.toUpperCase()}: ${flow.srcIp} -> ${flow.dstIp} ${proto}${ports}`,
    `  source:      ${describeEndpoint(v.source)}`,
    `  destination: ${describeEndpoint(v.destination)}`,
  ];
  for (const [name, side, who] of [['egress', v.egress, 'source'], ['ingress', v.ingress, 'destination']] as const) {
    const reached = side.reached ? '' : ' (never reached: the source side denied)';
    const why = side.stage === 'failsafe' || side.stage === 'host-to-local-workload' ? `allowed by ${STAGE_TEXT[side.stage]}` : ACTION_TEXT[side.action] ?? side.action;
    lines.push('', `${name} of the ${who}: ${side.action} — ${why}${reached}`);
    lines.push(...traceLines(side, '    '));
    if (side.stages.length > 0) {
      lines.push(`  decided at: ${side.stage === null ? 'no stage' : STAGE_TEXT[side.stage] ?? side.stage}`);
      for (const st of side.stages) {
        lines.push(`    stage ${st.stage} ${st.direction} of ${st.endpoint}: ${st.outcome}${st.to > st.from ? ` (trace ${st.from}${st.to - st.from > 1 ? `–${st.to - 1}` : ''})` : ''}`);
      }
    }
    const p = side.pending;
    if (p.trace.join() !== side.trace.join() || p.action !== side.action) {
      lines.push(`  pending (staged policies as enforced): ${p.action}`);
      lines.push(...traceLines(p, '    '));
    }
  }
  if (v.l7Unevaluated) lines.push('', 'note: an allowing rule has http (L7) criteria; only its L4 part was evaluated');
  for (const c of [...v.caveats, ...skippedCaveats]) lines.push('', `caveat: ${c}`);
  return `${lines.join('\n')}\n`;
}

function fail(reason: string): void {
  process.stderr.write(`segflow explain: ${reason.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exitCode = 2;
}

export function registerExplainCommand(program: Command): void {
  program.command('explain')
    .description('decide one flow against Calico/Kubernetes resources and show which tier, policy and rule allowed or denied it')
    .requiredOption('--resources <paths...>', 'resource files or directories (YAML/JSON, multi-document, kind: List)')
    .requiredOption('--src <ip>', 'source IP')
    .requiredOption('--dst <ip>', 'destination IP (post-DNAT)')
    .requiredOption('--protocol <proto>', 'tcp | udp | icmp | icmpv6 | sctp | protocol number')
    .option('--dst-port <n>', 'destination port')
    .option('--src-port <n>', 'source port')
    .option('--icmp-type <n>', 'ICMP type')
    .option('--icmp-code <n>', 'ICMP code')
    .option('--time <iso8601>', 'resolve IPs to the endpoints that owned them at this time')
    .option('--output <format>', 'json for machine-readable output, with the load warnings in it (default: text, warnings on stderr)')
    .showHelpAfterError(false)
    .exitOverride()
    .action(async (opts: ExplainOptions) => {
      let flow: FlowInput;
      try {
        if (opts.output !== undefined && opts.output !== 'json' && opts.output !== 'text') throw new UsageError(`--output must be json or text, got ${JSON.stringify(opts.output)}`);
        flow = flowFromOptions(opts);
      } catch (err) {
        if (err instanceof UsageError) return fail(err.message);
        throw err;
      }
      const loaded = await loadResourcePaths(opts.resources);
      const errors = loaded.issues.filter((i) => i.severity === 'error');
      if (errors.length > 0) {
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
        return fail(`${(errors[0] as (typeof errors)[number]).message}${more}`);
      }
      const warnings = loaded.issues.filter((i) => i.severity === 'warning');
      // JSON carries the warnings in the object; the text form prints them on stderr.
      if (opts.output !== 'json') for (const w of warnings) process.stderr.write(`warning: ${w.message}\n`);
      const skipped = skippedPolicyCaveats(warnings);
      const inventory = Inventory.fromResources(loaded.resources, { cacheSize: 0 });
      let verdict: Verdict;
      try {
        verdict = inventory.explain(flow);
      } catch (err) {
        return fail((err as Error).message);
      }
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(verdictJson(verdict, warnings.map((w) => w.message), skipped))}\n`);
      else process.stdout.write(verdictText(verdict, flow, skipped));
    });
}
