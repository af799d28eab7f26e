/**
 * The /fixes and /recommendations answers against their response schemas: a real plan (the demo
 * shop, frontend → postgres) and a real recommendation, turned into answers by the routes' own
 * builders, must fit the schemas exactly (no field the schema lacks, none missing), and must come
 * out of Fastify's schema serializer unchanged — a field the schema lacked would silently vanish
 * from the HTTP answer. The replay results are fixtures (a replay reads Elasticsearch; the
 * integration tests run it for real).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import type { TSchema } from 'typebox';
import { fixAnswer } from '../../../src/api/routes/fix-routes.ts';
import { recommendationAnswer } from '../../../src/api/routes/recommendation-routes.ts';
import type { ObservedTraffic } from '../../../src/api/query/observed-flows.ts';
import type { ReplayResult } from '../../../src/api/query/policy-replay.ts';
import { FixAnswer } from '../../../src/contract/api/fix.ts';
import { RecommendationAnswer } from '../../../src/contract/api/recommendations.ts';
import type { FixAnswer as CliFixAnswer } from '../../../src/cli/fix-command.ts';
import { recommendationSummary } from '../../../src/cli/recommend-command.ts';
import { planFix } from '../../../src/inventory/advice/fix-planner.ts';
import { stagedTrialVerdict } from '../../../src/inventory/advice/fix-output.ts';
import { CLUSTER_DNS, recommendPolicies, type ObservedEndpoint, type ObservedFlow } from '../../../src/inventory/advice/policy-recommender.ts';
import { hitString, Inventory, keyOf, type FlowInput, type PolicyHit } from '../../../src/inventory/index.ts';
import { readResourceDocuments } from '../../../src/inventory/topic/resource-documents.ts';
import { schemaProblems } from '../../harness/schema-check.ts';

const FRONTEND = '10.244.1.10';
const POSTGRES = '10.244.2.10';
const RANGE = { from: '2026-12-01T10:00:00.000Z', to: '2026-12-01T11:00:00.000Z' };
const COUNTS = { scanned: 12, evaluated: 11, unchanged: 9, allow_to_deny: 0, deny_to_allow: 2, skipped_unknown_protocol: 0, skipped_unresolved: 1, skipped_error: 0, by_address: 6, by_identity: 5 };

/** The answer as it leaves Fastify's serializer with `schema` as the 200 response schema. */
async function serialized(schema: TSchema, answer: unknown): Promise<unknown> {
  const app = Fastify();
  app.get('/answer', { schema: { response: { 200: schema } } }, async () => answer);
  try {
    const r = await app.inject({ url: '/answer' });
    assert.equal(r.statusCode, 200, r.body);
    return r.json();
  } finally {
    await app.close();
  }
}

/** The answer through JSON (what a client sees when nothing is dropped). */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

async function shop(): Promise<{ resources: Parameters<typeof planFix>[0]['resources']; documents: Map<string, Record<string, unknown>>; inventory: Inventory }> {
  const { documents, issues } = await readResourceDocuments(['examples/shop']);
  assert.deepEqual(issues.filter((i) => i.severity === 'error'), []);
  const resources = documents.flatMap((d) => d.resources);
  return { resources, documents: new Map(documents.flatMap((d) => d.resources.map((r) => [keyOf(r), d.document] as const))), inventory: Inventory.fromResources(resources) };
}

const example = (src: string, dst: string): ReplayResult['examples'][number] => ({
  id: 'doc-1', time: '2026-12-01T10:30:00.000Z',
  source: { ip: src, address: 'stored', port: 40000, namespace: 'shop', name: 'frontend-7d9c5b-*' },
  destination: { ip: dst, address: 'representative', port: 5432, namespace: 'data', name: 'postgres-*' },
  protocol: 6, stored_verdict: 'deny', current_verdict: 'deny', candidate_verdict: 'allow',
  candidate: { decided_by: 'both', egress: ['0|default|np:shop/default.frontend|allow|2'], ingress: [] },
});

describe('the /fixes answer fits its response schema', () => {
  const flow: FlowInput = { srcIp: FRONTEND, dstIp: POSTGRES, protocol: 6, dstPort: 5432 };
  const replay: ReplayResult = {
    range: RANGE, counts: COUNTS, truncated: false, allowedNotReplayed: 0,
    groups: [
      {
        key: 'shop/frontend-7d9c5b-* → data/postgres-* tcp/5432 deny→allow', source: { namespace: 'shop', name: 'frontend-7d9c5b-*' }, destination: { namespace: 'data', name: 'postgres-*' },
        protocol: 'tcp', port: 5432, current: 'deny', candidate: 'allow', flows: 2,
        sample: { src_ip: FRONTEND, dst_ip: POSTGRES, time: '2026-12-01T10:30:00.000Z', by: 'address' }, first_seen: '2026-12-01T10:10:00.000Z', last_seen: '2026-12-01T10:30:00.000Z',
      },
      {
        key: 'shop/checkout-66c4d9-* → data/postgres-* tcp/5432 allow→deny', source: { namespace: 'shop', name: 'checkout-66c4d9-*' }, destination: { namespace: 'data', name: 'postgres-*' },
        protocol: 'tcp', port: 5432, current: 'allow', candidate: 'deny', flows: 1,
        sample: { src_ip: '10.244.1.30', dst_ip: POSTGRES, time: null, by: 'identity' }, first_seen: null, last_seen: null,
      },
    ],
    examples: [example(FRONTEND, POSTGRES)],
    unresolved: [{ reason: 'source: no endpoint of shop/gone-* in the inventory', flows: 1 }],
  };

  it('a staged fix with its replay: exact, and unchanged through the serializer', async () => {
    const { resources, documents, inventory } = await shop();
    const plan = planFix({ resources, documents, flow, inventory });
    assert.equal(plan.allowed, true);
    assert.ok(plan.edits.length >= 2, 'both sides deny in the demo: edits on both');
    const answer = fixAnswer({ inventory, flow, plan, replay, staged: true, stagedTrial: stagedTrialVerdict(resources, plan, flow) });
    assert.deepEqual(schemaProblems(FixAnswer, answer), []);
    assert.deepEqual(await serialized(FixAnswer, answer), asJson(answer));

    // The parts the UI and the CLI read are there, and the target group is marked.
    assert.equal(answer.after.verdict, 'allow');
    assert.deepEqual(answer.after.egress.hits.map((h) => hitString(h as PolicyHit)), answer.after.egress.trace, 'hits in parts say what the strings say');
    assert.deepEqual(answer.after.ingress.pending.hits.map((h) => hitString(h as PolicyHit)), answer.after.ingress.pending.trace);
    const egressDeciding = answer.after.egress.hits.find((h) => h.index === answer.after.egress.deciding_hit);
    assert.equal(egressDeciding?.action, 'allow');
    assert.equal(answer.replay?.target_found, true);
    assert.deepEqual(answer.replay?.allowed_groups.map((g) => [g.key, g.target]), [[replay.groups[0]!.key, true]]);
    assert.deepEqual(answer.replay?.other_changes.map((g) => g.key), [replay.groups[1]!.key]);
    assert.equal(answer.replay?.other_changed_flows, 1);
    assert.equal(answer.staged_trial?.enforced_verdict, 'deny', 'staged variants change no enforced verdict');
    assert.ok(answer.changes.every((c) => typeof c.staged_yaml === 'string' && c.diff.startsWith('--- ')));
    // The CLI's view of the answer is a part of it (compile-time: a renamed field fails npm run check).
    const cli: CliFixAnswer = answer;
    assert.equal(cli.replay?.allowed_groups[0]?.key, replay.groups[0]!.key);
  });

  it('a flow allowed already: no edits, no replay, no staged parts', async () => {
    const { resources, documents, inventory } = await shop();
    const allowed: FlowInput = { srcIp: '10.244.1.30', dstIp: POSTGRES, protocol: 6, dstPort: 5432 };
    const plan = planFix({ resources, documents, flow: allowed, inventory });
    const answer = fixAnswer({ inventory, flow: allowed, plan, replay: null, staged: false, stagedTrial: null });
    assert.deepEqual(answer.edits, []);
    assert.equal(answer.replay, null);
    assert.equal('staged_yaml' in answer, false);
    assert.deepEqual(schemaProblems(FixAnswer, answer), []);
    assert.deepEqual(await serialized(FixAnswer, answer), asJson(answer));
  });

  it('a drift fails: a field the schema lacks, or one it requires and the answer lacks', async () => {
    const { resources, documents, inventory } = await shop();
    const plan = planFix({ resources, documents, flow, inventory });
    const answer = fixAnswer({ inventory, flow, plan, replay, staged: false, stagedTrial: null });
    assert.match(schemaProblems(FixAnswer, { ...answer, replay: { ...answer.replay, new_count: 3 } }).join('\n'), /\/replay: must not have additional properties.*new_count/);
    const { notes: _notes, ...withoutNotes } = answer;
    assert.match(schemaProblems(FixAnswer, withoutNotes).join('\n'), /must have required properties notes|notes/);
    const side = { ...answer.after.egress, deciding_hit: 'rule 2' };
    assert.match(schemaProblems(FixAnswer, { ...answer, after: { ...answer.after, egress: side } }).join('\n'), /\/after\/egress\/deciding_hit/);
  });
});

describe('the /recommendations answer fits its response schema', () => {
  const pod = (namespace: string, name: string, labels: Record<string, string>, ip: string | null = null): ObservedEndpoint => ({ kind: 'workload', ip, namespace, name, labels });
  const PG = pod('data', 'postgres-*', { app: 'postgres', 'statefulset.kubernetes.io/pod-name': 'postgres-0' });
  const CHECKOUT = pod('shop', 'checkout-66c4d9-*', { app: 'checkout', 'pod-template-hash': '66c4d9' });
  const DNS = pod('kube-system', 'coredns-*', { 'k8s-app': 'kube-dns' });
  const flows: ObservedFlow[] = [
    { source: CHECKOUT, destination: PG, protocol: 6, dstPort: 5432, count: 7 },
    { source: PG, destination: { kind: 'public', ip: '203.0.113.9', namespace: null, name: 'pub', labels: {} }, protocol: 6, dstPort: 443, count: 2 },
    { source: PG, destination: DNS, protocol: 17, dstPort: 53, count: 4 },
  ];
  const observed: ObservedTraffic = { flows, scanned: 20, allowed: 13, denied: 5, unreadable: 0, truncated: false };
  const replay: ReplayResult = {
    range: RANGE, counts: { ...COUNTS, deny_to_allow: 0, unchanged: 11 }, truncated: false, allowedNotReplayed: 0,
    groups: [{
      key: 'shop/checkout-66c4d9-* → data/postgres-* tcp/5432 allow→allow', source: { namespace: 'shop', name: 'checkout-66c4d9-*' }, destination: { namespace: 'data', name: 'postgres-*' },
      protocol: 'tcp', port: 5432, current: 'allow', candidate: 'allow', flows: 7,
      sample: { src_ip: '10.244.1.30', dst_ip: POSTGRES, time: null, by: 'identity' }, first_seen: null, last_seen: null,
    }],
    examples: [], unresolved: [],
  };

  for (const output of ['staged', 'calico', 'kubernetes'] as const) {
    it(`${output} output: exact, and unchanged through the serializer`, async () => {
      const recommendation = recommendPolicies(flows, { namespace: 'data', output, tier: 'default', dns: CLUSTER_DNS, provenance: `${RANGE.from}/${RANGE.to}` });
      const answer = recommendationAnswer({
        namespace: 'data', workload: null, range: { fromMs: Date.parse(RANGE.from), toMs: Date.parse(RANGE.to) }, revision: 4,
        output, tier: 'default', observed, recommendation, replay,
      });
      assert.deepEqual(schemaProblems(RecommendationAnswer, answer), []);
      assert.deepEqual(await serialized(RecommendationAnswer, answer), asJson(answer));
      assert.ok(answer.documents.length >= 1);
      assert.equal(answer.replay.allowed_kept, 7);
      assert.equal(answer.replay.verified, true);
      assert.equal(answer.dns.kept, true);
      if (output !== 'kubernetes') assert.deepEqual(answer.network_sets.map((s) => s.nets), [['203.0.113.9/32']]);
      // The CLI's summary reads the answer as typed by the schema.
      assert.match(recommendationSummary(answer), /verified: every observed allowed flow stays allowed/);
    });
  }

  it('a drift fails: a document with a field the schema lacks', () => {
    const recommendation = recommendPolicies(flows, { namespace: 'data', output: 'staged', tier: 'default' });
    const answer = recommendationAnswer({
      namespace: 'data', workload: 'postgres-*', range: { fromMs: 0, toMs: 1 }, revision: 1, output: 'staged', tier: 'default', observed, recommendation, replay,
    });
    assert.deepEqual(schemaProblems(RecommendationAnswer, answer), []);
    const doc = { ...answer.documents[0]!, status: {} };
    assert.match(schemaProblems(RecommendationAnswer, { ...answer, documents: [doc] }).join('\n'), /\/documents\/0: must not have additional properties/);
  });
});
