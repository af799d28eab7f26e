/**
 * Rules compiled for evaluation, and matching one against a flow (docs/policy-semantics.md §2.6, "Rule match fields").
 * Selectors in rules match *addresses*: an address satisfies a selector when a labelled thing
 * that owns or contains it (the endpoint owning the IP at the flow's time, every network set
 * whose CIDR contains it) matches. Named ports resolve against the endpoints that own the address.
 */
import { compileSelector, type Labels } from '../selector/index.ts';
import { cidrContains, type Cidr, type IpAddr } from '../model/ip.ts';
import type { EntityRule, IcmpMatch, Rule } from '../model/resources.ts';
import type { EndpointIndex, EndpointSnapshot, NetworkSetEntry } from '../endpoints/endpoint-index.ts';

type Matcher = (labels: Labels) => boolean;

export interface CompiledEntity {
  readonly nets: readonly Cidr[];
  readonly notNets: readonly Cidr[];
  /** Folded positive selector: `(pos) && !(neg)` when both are given. */
  readonly selector: Matcher | null;
  /** Only set when there is no positive selector: the address must not be in neg's IP set. */
  readonly notSelector: Matcher | null;
  readonly ranges: readonly number[];
  readonly named: readonly string[];
  readonly notRanges: readonly number[];
  readonly notNamed: readonly string[];
  readonly hasPorts: boolean;
  readonly hasNotPorts: boolean;
  readonly services: EntityRule['services'];
  /** Nothing to check at all (fast path). */
  readonly empty: boolean;
}

export interface CompiledRule {
  readonly rule: Rule;
  readonly action: Rule['action'];
  /** Family the rule can match (explicit ipVersion, implied by ICMP/ICMPv6 or by its CIDRs). */
  readonly family: 4 | 6 | null;
  readonly protocol: number | null;
  readonly notProtocol: number | null;
  readonly icmp: IcmpMatch | null;
  readonly notICMP: IcmpMatch | null;
  readonly src: CompiledEntity;
  readonly dst: CompiledEntity;
  readonly usesSourcePort: boolean;
}

/** What a flow looks like to the matcher. */
export interface FlowKey {
  readonly version: 4 | 6;
  readonly protocol: number;
  readonly srcPort: number | undefined;
  readonly dstPort: number | undefined;
  readonly icmpType: number | undefined;
  readonly icmpCode: number | undefined;
}

/** One side's address with what owns / contains it, resolved lazily once per flow. */
export class AddressContext {
  readonly addr: IpAddr;
  /** Endpoints owning the IP at the flow's time. */
  readonly owners: readonly EndpointSnapshot[];
  private readonly index: EndpointIndex;
  private sets: NetworkSetEntry[] | undefined;

  constructor(addr: IpAddr, owners: readonly EndpointSnapshot[], index: EndpointIndex) {
    this.addr = addr;
    this.owners = owners;
    this.index = index;
  }

  get networkSets(): readonly NetworkSetEntry[] {
    if (this.sets === undefined) this.sets = this.index.networkSetsContaining(this.addr);
    return this.sets;
  }

  /** True if any labelled thing owning/containing the address matches. */
  inSelectorSet(m: Matcher): boolean {
    for (const o of this.owners) if (m(o.labels)) return true;
    for (const s of this.networkSets) if (m(s.labels)) return true;
    return false;
  }

  get endpointIndex(): EndpointIndex {
    return this.index;
  }
}

function flattenRanges(list: EntityRule['ports']): { ranges: number[]; named: string[] } {
  const ranges: number[] = [];
  const named: string[] = [];
  for (const p of list) {
    if (p.kind === 'range') ranges.push(p.min, p.max);
    else named.push(p.name);
  }
  return { ranges, named };
}

function compileEntity(e: EntityRule): CompiledEntity {
  const pos = e.selector ? compileSelector(e.selector.ast).matches : null;
  const neg = e.notSelector ? compileSelector(e.notSelector.ast).matches : null;
  const selector = pos && neg ? (l: Labels) => pos(l) && !neg(l) : pos;
  const p = flattenRanges(e.ports);
  const np = flattenRanges(e.notPorts);
  const hasPorts = e.ports.length > 0;
  const hasNotPorts = e.notPorts.length > 0;
  const empty = e.nets.length === 0 && e.notNets.length === 0 && !selector && !(neg && !pos) && !hasPorts && !hasNotPorts && !e.services;
  return {
    nets: e.nets, notNets: e.notNets, selector, notSelector: pos ? null : neg,
    ranges: p.ranges, named: p.named, notRanges: np.ranges, notNamed: np.named, hasPorts, hasNotPorts, services: e.services, empty,
  };
}

const compiledRules = new WeakMap<Rule, CompiledRule>();

/** Compiles a rule (memoised per rule object). */
export function compileRule(rule: Rule): CompiledRule {
  const hit = compiledRules.get(rule);
  if (hit) return hit;
  const cidrs = [...rule.source.nets, ...rule.source.notNets, ...rule.destination.nets, ...rule.destination.notNets];
  let family: 4 | 6 | null = rule.ipVersion ?? (rule.protocol === 1 ? 4 : rule.protocol === 58 ? 6 : null);
  const cidrFamily = cidrs[0]?.version ?? null;
  // A rule whose CIDRs are all of the other family is never rendered for this one: use an
  // impossible family (0) when it contradicts the explicit one.
  if (cidrFamily !== null) family = family !== null && family !== cidrFamily ? (0 as 4) : cidrFamily;
  const compiled: CompiledRule = {
    rule, action: rule.action, family, protocol: rule.protocol, notProtocol: rule.notProtocol, icmp: rule.icmp, notICMP: rule.notICMP,
    src: compileEntity(rule.source), dst: compileEntity(rule.destination),
    usesSourcePort: rule.source.ports.length > 0 || rule.source.notPorts.length > 0,
  };
  compiledRules.set(rule, compiled);
  return compiled;
}

function inRanges(ranges: readonly number[], port: number): boolean {
  for (let i = 0; i < ranges.length; i += 2) if (port >= (ranges[i] as number) && port <= (ranges[i + 1] as number)) return true;
  return false;
}

function namedPortMatch(names: readonly string[], ctx: AddressContext, protocol: number, port: number, restrict: Matcher | null): boolean {
  for (const o of ctx.owners) {
    if (restrict && !restrict(o.labels)) continue;
    for (const np of o.resource.ports) {
      if (np.port === port && np.protocol === protocol && names.includes(np.name)) return true;
    }
  }
  return false;
}

function icmpMatches(m: IcmpMatch, f: FlowKey): boolean {
  if (f.icmpType === undefined || f.icmpType !== m.type) return false;
  return m.code === null || f.icmpCode === m.code;
}

function entityMatches(e: CompiledEntity, ctx: AddressContext, port: number | undefined, f: FlowKey, isSource: boolean): boolean {
  if (e.empty) return true;
  const addr = ctx.addr;
  if (e.nets.length > 0) {
    let any = false;
    for (const c of e.nets) if (cidrContains(c, addr)) { any = true; break; }
    if (!any) return false;
  }
  for (const c of e.notNets) if (cidrContains(c, addr)) return false;
  if (e.selector && !ctx.inSelectorSet(e.selector)) return false;
  if (e.notSelector && ctx.inSelectorSet(e.notSelector)) return false;
  if (e.hasPorts) {
    if (port === undefined) return false;
    if (!inRanges(e.ranges, port) && !(e.named.length > 0 && namedPortMatch(e.named, ctx, f.protocol, port, e.selector))) return false;
  }
  if (e.hasNotPorts && port !== undefined) {
    if (inRanges(e.notRanges, port)) return false;
    if (e.notNamed.length > 0 && namedPortMatch(e.notNamed, ctx, f.protocol, port, e.selector)) return false;
  }
  if (e.services) {
    const { namespace, name } = e.services;
    const index = ctx.endpointIndex;
    if (isSource) {
      if (!index.isServiceBackend(addr.text, namespace, name)) return false;
    } else {
      const ok = index.serviceBackends(namespace, name).some((b) => b.ip === addr.text && b.protocol === f.protocol && (b.port === null || b.port === port));
      if (!ok) return false;
    }
  }
  return true;
}

/**
 * True when the entity's numeric ports alone rule the flow out: a cheap test run on both sides
 * before any selector, since most rules a flow meets differ from it in the port. (Named ports
 * need the address's owners and are left to the full match.)
 */
function portsRuleOut(e: CompiledEntity, port: number | undefined): boolean {
  if (e.hasPorts && (port === undefined || (e.named.length === 0 && !inRanges(e.ranges, port)))) return true;
  return e.hasNotPorts && port !== undefined && inRanges(e.notRanges, port);
}

/** True when the rule matches the flow (source/destination are the flow's, in either direction). */
export function ruleMatches(r: CompiledRule, f: FlowKey, src: AddressContext, dst: AddressContext): boolean {
  if (r.family !== null && r.family !== f.version) return false;
  if (r.protocol !== null && r.protocol !== f.protocol) return false;
  if (r.notProtocol !== null && r.notProtocol === f.protocol) return false;
  if (r.icmp && !icmpMatches(r.icmp, f)) return false;
  if (r.notICMP && icmpMatches(r.notICMP, f)) return false;
  if (portsRuleOut(r.dst, f.dstPort) || portsRuleOut(r.src, f.srcPort)) return false;
  if (!entityMatches(r.src, src, f.srcPort, f, true)) return false;
  return entityMatches(r.dst, dst, f.dstPort, f, false);
}
