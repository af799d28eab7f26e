/**
 * Policy benchmark: 10,000 endpoints (pods in 50 namespaces, 1,000 services of 10 pods), 2,000
 * policies in 5 tiers, 1,000,000 flows drawn from service-to-dependency traffic (Zipf-skewed
 * callers, each service calling 3 dependencies, plus external ingress/egress).
 *
 * Measured in one run: warm-cache verdicts/s (second pass over the flows), cold verdicts/s (the
 * indexed evaluator with the cache bypassed), and a naive evaluator that matches every policy's
 * selector against both endpoints for every flow, then evaluates the same way. Also the heap
 * taken by the inventory (endpoint + policy index, plans built). Measured in three fresh
 * processes; the one with the median cold/naive ratio is reported (see runPolicyBench). Writes
 * bench/results/policy.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullGc } from './gc.ts';
import { SeededRandom } from '../src/collector/sources/synthetic/seeded-random.ts';
import { Inventory } from '../src/inventory/inventory.ts';
import { parseDocument } from '../src/inventory/loader/parse-resource.ts';
import type { Resource } from '../src/inventory/model/resources.ts';
import type { EndpointSnapshot } from '../src/inventory/endpoints/endpoint-index.ts';
import { evaluateSide } from '../src/inventory/policy/evaluate.ts';
import type { CompiledPolicy } from '../src/inventory/policy/policy-index.ts';
import { AddressContext, type FlowKey } from '../src/inventory/policy/rule-match.ts';
import { hitString } from '../src/inventory/policy/trace.ts';
import type { FlowInput } from '../src/inventory/policy/verdict-engine.ts';
import { parseIp, type IpAddr } from '../src/inventory/model/ip.ts';

const NAMESPACES = 50;
const APPS_PER_NS = 20;
const PODS_PER_APP = 10;
const FLOWS = 1_000_000;
const DEPS_PER_APP = 3;
const PAIRS_PER_DEP = 15;

type Obj = Record<string, unknown>;

interface App { ns: number; idx: number; name: string; role: 'frontend' | 'backend' | 'db'; port: number; portName: string; pods: string[]; deps: number[] }

const nsName = (i: number): string => `ns-${String(i).padStart(2, '0')}`;

export function buildWorld(random: () => number): { docs: Obj[]; apps: App[] } {
  const docs: Obj[] = [];
  const apps: App[] = [];
  docs.push(
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 100, defaultAction: 'Deny' } },
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'platform' }, spec: { order: 200, defaultAction: 'Pass' } },
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'compliance' }, spec: { order: 300, defaultAction: 'Deny' } },
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'tenant' }, spec: { order: 400, defaultAction: 'Pass' } },
  );
  for (let n = 0; n < NAMESPACES; n++) {
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsName(n), labels: { team: `team-${n % 10}`, env: n < 30 ? 'prod' : 'dev' } } });
    for (let j = 0; j < APPS_PER_NS; j++) {
      const role = j < 5 ? 'frontend' : j < 15 ? 'backend' : 'db';
      const app: App = {
        ns: n, idx: apps.length, name: `a${n}-${j}`, role, port: role === 'db' ? 5432 : 8080, portName: role === 'db' ? 'pg' : 'http', pods: [], deps: [],
      };
      apps.push(app);
      for (let p = 0; p < PODS_PER_APP; p++) {
        const podIndex = (n * APPS_PER_NS + j) * PODS_PER_APP + p;
        const ip = `10.${64 + (podIndex >> 16)}.${(podIndex >> 8) & 255}.${podIndex & 255}`;
        app.pods.push(ip);
        docs.push({
          apiVersion: 'v1', kind: 'Pod',
          metadata: { name: `${app.name}-${p}`, namespace: nsName(n), generateName: `${app.name}-`, labels: { app: app.name, role, version: `v${1 + (p % 2)}`, 'pod-template-hash': `h${j}` } },
          spec: {
            nodeName: `node-${podIndex % 50}`, serviceAccountName: app.name,
            containers: [{ name: 'main', ports: [{ name: app.portName, containerPort: app.port, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }] }],
          },
          status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
        });
      }
    }
  }
  // Dependencies: frontends call backends, backends call backends and dbs; 20% cross-namespace.
  for (const app of apps) {
    while (app.deps.length < DEPS_PER_APP) {
      const ns = random() < 0.8 ? app.ns : Math.floor(random() * NAMESPACES);
      const j = app.role === 'frontend' ? 5 + Math.floor(random() * 10) : 5 + Math.floor(random() * 15);
      const dep = ns * APPS_PER_NS + j;
      if (dep !== app.idx && !app.deps.includes(dep)) app.deps.push(dep);
    }
  }
  for (let h = 0; h < 50; h++) {
    docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'HostEndpoint', metadata: { name: `node-${h}-eth0`, labels: { role: 'k8s-node', node: `node-${h}` } }, spec: { node: `node-${h}`, interfaceName: 'eth0', expectedIPs: [`192.168.0.${h + 1}`] } });
  }
  for (let s = 0; s < 100; s++) {
    docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name: `partner-${s}`, labels: { zone: s < 50 ? 'partner' : 'vendor', id: `p${s}` } }, spec: { nets: [`100.${s}.0.0/16`] } });
  }
  docs.push(...policies(apps));
  return { docs, apps };
}

function policies(apps: App[]): Obj[] {
  const out: Obj[] = [];
  const gnp = (name: string, spec: Obj): Obj => ({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name }, spec });
  const np = (name: string, ns: string, spec: Obj): Obj => ({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
  // security: 50 per-namespace guards (everything passes unless from/to a blocked range) + 50 quarantines.
  for (let n = 0; n < NAMESPACES; n++) {
    out.push(gnp(`sec-${nsName(n)}`, {
      tier: 'security', order: 10, selector: `projectcalico.org/namespace == '${nsName(n)}'`, types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Deny', source: { nets: ['198.51.100.0/24'] } }, { action: 'Pass', source: { nets: ['10.0.0.0/8'] } }, { action: 'Pass', source: { selector: "zone == 'partner'" } }, { action: 'Pass', protocol: 'TCP', destination: { ports: [443, 8080] } }],
      egress: [{ action: 'Deny', destination: { nets: ['203.0.113.0/24'] } }, { action: 'Pass' }],
    }));
  }
  for (let q = 0; q < 50; q++) out.push(gnp(`quarantine-${q}`, { tier: 'security', order: 1, selector: `quarantine == 'q${q}'`, types: ['Ingress', 'Egress'], ingress: [{ action: 'Deny' }], egress: [{ action: 'Deny' }] }));
  // platform (default Pass): monitoring per team, DNS, plus feature-flagged policies that select nothing.
  for (let t = 0; t < 10; t++) {
    out.push(gnp(`monitoring-team-${t}`, { tier: 'platform', order: 100, namespaceSelector: `team == 'team-${t}'`, selector: 'all()', ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'prometheus'" }, destination: { ports: ['metrics'] } }] }));
  }
  out.push(gnp('dns', { tier: 'platform', order: 50, selector: 'has(app)', types: ['Egress'], egress: [{ action: 'Allow', protocol: 'UDP', destination: { ports: [53] } }] }));
  for (let k = 0; k < 189; k++) {
    out.push(gnp(`feature-${k}`, { tier: 'platform', order: 200 + k, selector: `feature-${k % 20} == 'on' && role == '${['frontend', 'backend', 'db'][k % 3]}'`, ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [8443] } }] }));
  }
  // compliance: prod databases only accept backends; 180 app-specific guards.
  for (let t = 0; t < 20; t++) {
    out.push(gnp(`prod-db-${t}`, {
      tier: 'compliance', order: 10, namespaceSelector: `env == '${t < 10 ? 'prod' : 'dev'}' && team == 'team-${t % 10}'`, selector: "role == 'db'", types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Pass', protocol: 'TCP', source: { selector: "role == 'backend'", namespaceSelector: 'all()' }, destination: { ports: ['pg'] } }],
      egress: [{ action: 'Pass' }],
    }));
  }
  for (let k = 0; k < 180; k++) {
    const app = apps[(k * 37) % apps.length] as App;
    out.push(gnp(`guard-${app.name}`, { tier: 'compliance', order: 20, selector: `app == '${app.name}'`, ingress: [{ action: 'Pass', source: { nets: ['10.0.0.0/8', '100.0.0.0/8'] } }, { action: 'Pass', source: { selector: "zone == 'partner'" } }] }));
  }
  // tenant (default Pass): 10 per namespace.
  for (let n = 0; n < NAMESPACES; n++) {
    for (let k = 0; k < 10; k++) {
      out.push(np(`tenant-${k}`, nsName(n), {
        tier: 'tenant', order: k, selector: k < 3 ? `role == '${['frontend', 'backend', 'db'][k]}'` : `version == 'v${k % 2 + 1}' && has(canary)`,
        ingress: [{ action: 'Deny', source: { selector: "app == 'blocked'" } }, { action: 'Pass' }],
      }));
    }
  }
  // default: one per service, allowing its callers in (same namespace and cross-namespace).
  const callers = new Map<number, App[]>();
  for (const a of apps) for (const d of a.deps) callers.set(d, [...(callers.get(d) ?? []), a]);
  for (const app of apps) {
    const cs = callers.get(app.idx) ?? [];
    const local = cs.filter((c) => c.ns === app.ns).map((c) => c.name);
    const remote = cs.filter((c) => c.ns !== app.ns);
    const ingress: Obj[] = [];
    if (local.length) ingress.push({ action: 'Allow', protocol: 'TCP', source: { selector: `app in {${local.map((n) => `'${n}'`).join(', ')}}` }, destination: { ports: [app.portName] } });
    for (const r of remote) ingress.push({ action: 'Allow', protocol: 'TCP', source: { namespaceSelector: `kubernetes.io/metadata.name == '${nsName(r.ns)}'`, selector: `app == '${r.name}'` }, destination: { ports: [app.port] } });
    if (app.role === 'frontend') ingress.push({ action: 'Allow', protocol: 'TCP', source: { notNets: ['10.0.0.0/8'] }, destination: { ports: [443, 8080] } });
    const egress: Obj[] = app.deps.map((d) => {
      const dep = apps[d] as App;
      return dep.ns === app.ns
        ? { action: 'Allow', protocol: 'TCP', destination: { selector: `app == '${dep.name}'`, ports: [dep.portName] } }
        : { action: 'Allow', protocol: 'TCP', destination: { namespaceSelector: `kubernetes.io/metadata.name == '${nsName(dep.ns)}'`, selector: `app == '${dep.name}'`, ports: [dep.port] } };
    });
    egress.push({ action: 'Allow', protocol: 'TCP', destination: { nets: ['0.0.0.0/0'], notNets: ['10.0.0.0/8', '192.168.0.0/16'], ports: [443] } });
    out.push(np(`allow-${app.name}`, nsName(app.ns), { order: 100, selector: `app == '${app.name}'`, types: ['Ingress', 'Egress'], ingress, egress }));
  }
  return out;
}

interface Pair { src: string; dst: string; port: number }

/** Connection pairs by app (Zipf-weighted), then 1M flows drawn from them. */
export function buildFlows(apps: App[], random: () => number): { pairs: Pair[]; order: Int32Array; srcPorts: Uint16Array } {
  const pairs: Pair[] = [];
  const weights: number[] = [];
  const rank = apps.map((_, i) => i).sort(() => random() - 0.5);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (const app of apps) {
    const w = 1 / Math.pow(1 + (rank[app.idx] as number), 1.1);
    for (const d of app.deps) {
      const dep = apps[d] as App;
      for (let k = 0; k < PAIRS_PER_DEP; k++) {
        pairs.push({ src: pick(app.pods), dst: pick(dep.pods), port: random() < 0.9 ? dep.port : 9090 });
        weights.push(w);
      }
    }
  }
  // External clients to frontends, frontends to the internet, partner networks, blocked ranges.
  const frontends = apps.filter((a) => a.role === 'frontend');
  for (let k = 0; k < 3000; k++) {
    const fe = pick(frontends);
    const r = random();
    const ext = r < 0.6 ? `${1 + Math.floor(random() * 90)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}`
      : r < 0.85 ? `100.${Math.floor(random() * 100)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 250)}` : `198.51.100.${1 + Math.floor(random() * 250)}`;
    if (k % 3 === 0) pairs.push({ src: pick(fe.pods), dst: ext, port: 443 });
    else pairs.push({ src: ext, dst: pick(fe.pods), port: 8080 });
    weights.push(0.002);
  }
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) cumulative[i] = sum += weights[i] as number;
  const order = new Int32Array(FLOWS);
  const srcPorts = new Uint16Array(FLOWS);
  for (let i = 0; i < FLOWS; i++) {
    const x = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    order[i] = lo;
    srcPorts[i] = 32768 + Math.floor(random() * 28000);
  }
  return { pairs, order, srcPorts };
}

/** The naive evaluator: every policy's selector matched against the endpoint for every flow. */
function naiveExplain(inv: Inventory, all: readonly CompiledPolicy[], flow: FlowInput): { verdict: string; egress: string[]; ingress: string[] } {
  const srcAddr = parseIp(flow.srcIp) as IpAddr;
  const dstAddr = parseIp(flow.dstIp) as IpAddr;
  const srcOwners = inv.endpoints.resolveOwners(srcAddr.text, flow.time);
  const dstOwners = inv.endpoints.resolveOwners(dstAddr.text, flow.time);
  const key: FlowKey = { version: srcAddr.version, protocol: flow.protocol, srcPort: flow.srcPort, dstPort: flow.dstPort, icmpType: undefined, icmpCode: undefined };
  const src = new AddressContext(srcAddr, srcOwners, inv.endpoints);
  const dst = new AddressContext(dstAddr, dstOwners, inv.endpoints);
  const side = (owner: EndpointSnapshot | undefined, dir: 'ingress' | 'egress'): { action: string; trace: string[] } => {
    if (!owner) return { action: 'no-endpoint', trace: [] };
    const applicable: CompiledPolicy[] = [];
    for (const p of all) if (p.normal && p.matches(owner.labels)) applicable.push(p);
    const plan = inv.policies.buildPlan(applicable);
    const r = evaluateSide(dir === 'ingress' ? plan.ingress : plan.egress, inv.engine.profilesOf(owner), dir, 'enforced', key, src, dst);
    return { action: r.action, trace: r.hits.map(hitString) };
  };
  const e = side(srcOwners[0], 'egress');
  const i = side(dstOwners[0], 'ingress');
  const ok = (a: string): boolean => a === 'allow' || a === 'profile-allow' || a === 'no-endpoint';
  return { verdict: ok(e.action) && ok(i.action) ? 'allow' : 'deny', egress: e.trace, ingress: i.trace };
}

/** One process's measurement (see runPolicyBench for why there are several). */
export async function measurePolicyBench(): Promise<PolicyBenchResult> {
  const gc = fullGc();
  const seeded = new SeededRandom(20261127);
  const random = (): number => seeded.next();
  const t0 = performance.now();
  const world = buildWorld(random);
  const { pairs, order, srcPorts } = buildFlows(world.apps, random);
  const generateMs = performance.now() - t0;
  const now = Date.now();

  // Parse (validation, selector rewrites) outside the memory measurement; the parsed resources are
  // then held by the inventory, so they are part of what the index costs.
  const tp = performance.now();
  const resources: Resource[] = [];
  for (const [i, d] of world.docs.entries()) {
    const r = parseDocument(d, { file: 'bench', document: i + 1 });
    if (r.issues.length) throw new Error(r.issues.map((x) => x.message).join('\n'));
    resources.push(...r.resources);
  }
  world.docs.length = 0;
  const parseMs = performance.now() - tp;
  const counts = { endpoints: 0, policies: 0, tiers: 4 + 1 };
  for (const r of resources) {
    if (r.kind === 'Pod') counts.endpoints++;
    if (r.kind.endsWith('NetworkPolicy')) counts.policies++;
  }

  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const tb = performance.now();
  const inv = new Inventory({ cacheSize: 0 });
  // Policies first, then endpoints: each endpoint is matched against every policy once.
  for (const r of resources) if (!(r.kind === 'Pod')) inv.apply(r, { at: now - 3_600_000 });
  for (const r of resources) if (r.kind === 'Pod') inv.apply(r, { at: now - 3_600_000 });
  for (const s of inv.endpoints.allEndpoints()) inv.policies.planFor(s);
  const buildMs = performance.now() - tb;
  gc();
  const indexMemoryBytes = process.memoryUsage().heapUsed - heap0;
  let applicableTotal = 0;
  for (const s of inv.endpoints.allEndpoints()) applicableTotal += inv.policies.applicableTo(s.key).length;

  const flowAt = (i: number): FlowInput => {
    const p = pairs[order[i] as number] as Pair;
    return { srcIp: p.src, dstIp: p.dst, protocol: 6, srcPort: srcPorts[i], dstPort: p.port, time: now };
  };
  const distinct = new Set<number>();
  for (let i = 0; i < FLOWS; i++) distinct.add(order[i] as number);

  // Cold (the indexed evaluator, cache bypassed) and naive (every policy's selector per flow),
  // interleaved in rounds so both see the same machine load; each continues along the flow stream.
  const engine = inv.engine;
  const all = [...inv.policies.allPolicies()];
  let coldN = 0;
  let coldMs = 0;
  let allowed = 0;
  let naiveN = 0;
  let naiveMs = 0;
  // Short alternating slices (48 of each): load on this shared machine changes within seconds,
  // and fine interleaving gives both evaluators the same share of it.
  const roundRatios: number[] = [];
  for (let round = 0; round < 48; round++) {
    const n0 = coldN;
    const tc = performance.now();
    do {
      for (let k = 0; k < 200; k++, coldN++) if (engine.explainUncached(flowAt(coldN % FLOWS)).verdict === 'allow') allowed++;
    } while (performance.now() - tc < 150);
    const roundColdMs = performance.now() - tc;
    coldMs += roundColdMs;
    const m0 = naiveN;
    const tn = performance.now();
    do {
      for (let k = 0; k < 10; k++, naiveN++) naiveExplain(inv, all, flowAt(naiveN % FLOWS));
    } while (performance.now() - tn < 125);
    const roundNaiveMs = performance.now() - tn;
    naiveMs += roundNaiveMs;
    roundRatios.push(((coldN - n0) / roundColdMs) / ((naiveN - m0) / roundNaiveMs));
  }
  roundRatios.sort((a, b) => a - b);
  const ratioAt = (q: number): number => Math.round((roundRatios[Math.floor(q * (roundRatios.length - 1))] as number) * 10) / 10;

  // Cross-check: naive and indexed agree on a sample.
  let mismatches = 0;
  for (let i = 0; i < 2000; i++) {
    const f = flowAt((i * 4999) % FLOWS);
    const a = naiveExplain(inv, all, f);
    const b = engine.explainUncached(f);
    if (a.verdict !== b.verdict || a.egress.join() !== b.egress.trace.join() || a.ingress.join() !== b.ingress.trace.join()) mismatches++;
  }

  // Warm: a cached inventory, first pass fills the cache, the second pass is measured.
  const cached = new Inventory({ cacheSize: 200_000 });
  for (const r of resources) if (r.kind !== 'Pod') cached.apply(r, { at: now - 3_600_000 });
  for (const r of resources) if (r.kind === 'Pod') cached.apply(r, { at: now - 3_600_000 });
  const tf = performance.now();
  for (let i = 0; i < FLOWS; i++) cached.explain(flowAt(i));
  const fillMs = performance.now() - tf;
  const statsAfterFill = cached.engine.cacheStats;
  gc();
  const heapBeforeWarm = process.memoryUsage().heapUsed;
  // Three warm passes (the machine is shared and noisy): the median is reported.
  const warmPasses: number[] = [];
  let warmAllowed = 0;
  for (let pass = 0; pass < 3; pass++) {
    warmAllowed = 0;
    const tw = performance.now();
    for (let i = 0; i < FLOWS; i++) if (cached.explain(flowAt(i)).verdict === 'allow') warmAllowed++;
    warmPasses.push((FLOWS / (performance.now() - tw)) * 1000);
  }
  const warmPerSec = [...warmPasses].sort((a, b) => a - b)[1] as number;
  const stats = cached.engine.cacheStats;

  const round = (x: number): number => Math.round(x);
  const coldPerSec = (coldN / coldMs) * 1000;
  const naivePerSec = (naiveN / naiveMs) * 1000;
  const result = {
    warmVerdictsPerSec: round(warmPerSec),
    coldVerdictsPerSec: round(coldPerSec),
    naiveVerdictsPerSec: round(naivePerSec),
    coldVsNaive: Math.round((coldPerSec / naivePerSec) * 10) / 10,
    warmVsNaive: Math.round((warmPerSec / naivePerSec) * 10) / 10,
    indexMemoryBytes,
    setup: {
      endpoints: counts.endpoints, hostEndpoints: 50, globalNetworkSets: 100, policies: counts.policies, tiers: 5,
      flows: FLOWS, distinctFlowKeys: distinct.size, applicablePoliciesPerEndpoint: Math.round((applicableTotal / counts.endpoints) * 10) / 10,
      generateMs: round(generateMs), parseMs: round(parseMs), buildIndexMs: round(buildMs),
    },
    measured: {
      coldFlows: coldN, naiveFlows: naiveN, warmFlows: FLOWS, coldAllowedShare: Math.round((allowed / coldN) * 1000) / 1000,
      warmAllowedShare: Math.round((warmAllowed / FLOWS) * 1000) / 1000,
      cacheFillPassVerdictsPerSec: round((FLOWS / fillMs) * 1000), cacheHitRateFillPass: Math.round((statsAfterFill.hits / FLOWS) * 1000) / 1000,
      warmPassesVerdictsPerSec: warmPasses.map(round),
      cacheHitRateWarmPasses: Math.round(((stats.hits - statsAfterFill.hits) / (3 * FLOWS)) * 1000) / 1000, cacheEntries: stats.size,
      cacheHeapBytesApprox: heapBeforeWarm - heap0 - 2 * indexMemoryBytes,
      naiveVsIndexedMismatches: mismatches,
      coldVsNaivePerSlice: { p10: ratioAt(0.1), median: ratioAt(0.5), p90: ratioAt(0.9), slices: roundRatios.length },
    },
    node: process.version,
    loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100),
    note: 'single thread; warm = median of 3 passes over the 1M flows after a fill pass; cold = indexed evaluator with the verdict cache bypassed; naive = every policy selector matched per flow, same rule evaluation',
  };
  return result;
}

type PolicyBenchResult = { coldVsNaive: number; coldVerdictsPerSec: number; naiveVerdictsPerSec: number; warmVerdictsPerSec: number } & Record<string, unknown>;

const PROCESSES = 3;
const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

/**
 * Runs the measurement in `PROCESSES` fresh node processes, one after another, and reports the
 * one with the median cold/naive ratio, with every process's figures beside it. The naive
 * evaluator's speed is bimodal between processes (3.5k or 5k verdicts/s, depending on how V8
 * happens to optimise its 2,000 selector closures) while the indexed one's is not, so a single
 * process's ratio says as much about that draw as about the engine.
 */
export async function runPolicyBench(): Promise<object> {
  const runs: PolicyBenchResult[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--measure'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`policy bench process ${i + 1} exited with ${child.status ?? child.signal}`);
    runs.push(JSON.parse(child.stdout) as PolicyBenchResult);
    process.stderr.write(`policy bench: process ${i + 1}: cold ${runs[i]!.coldVerdictsPerSec}/s, naive ${runs[i]!.naiveVerdictsPerSec}/s, ratio ${runs[i]!.coldVsNaive}\n`);
  }
  const median = [...runs].sort((a, b) => a.coldVsNaive - b.coldVsNaive)[PROCESSES >> 1]!;
  const result = {
    ...median,
    processes: runs.map((r) => ({ coldVerdictsPerSec: r.coldVerdictsPerSec, naiveVerdictsPerSec: r.naiveVerdictsPerSec, coldVsNaive: r.coldVsNaive, warmVerdictsPerSec: r.warmVerdictsPerSec })),
    processNote: `${PROCESSES} processes; the figures above are the one with the median coldVsNaive`,
  };
  const out = join(here, 'results', 'policy.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1] === self && process.argv.includes('--measure')) {
  process.stdout.write(JSON.stringify(await measurePolicyBench()));
}
