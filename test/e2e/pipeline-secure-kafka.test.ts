/**
 * The pipeline over a secured Kafka, with the real roles: a collector (synthetic traffic from
 * the demo shop) produces as SASL user `collector` (SCRAM-SHA-512) over SASL_SSL, an enricher
 * consumes as `enricher` (SCRAM-SHA-256) and writes to Elasticsearch. Each principal holds only
 * the ACLs of test/harness/kafka-role-acls.ts (allow.everyone.if.no.acl.found=false), so the run
 * also proves those ACLs sufficient. Every record the collector had acknowledged is indexed,
 * enriched, exactly once.
 *
 * And the fatal path on real roles: an enricher whose principal may not use its consumer group,
 * and a collector with a wrong password, each settle `fatalKafkaFailure` with the documented
 * message once (their commands then exit 1) instead of retrying forever; the collector keeps its
 * batches in the spool.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Collector } from '../../src/collector/collector.ts';
import type { FlowDocument } from '../../src/contract/flow-fields.ts';
import { Enricher } from '../../src/enricher/enricher.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { createElasticsearchClient } from '../../src/runtime/elasticsearch-client.ts';
import type { KafkaFailure } from '../../src/runtime/kafka-errors.ts';
import { collectorAcls, enricherAcls } from '../harness/kafka-role-acls.ts';
import { createPipelineTopics, deleteFlowIndices } from '../harness/pipeline-resources.ts';
import { startSecureKafka, type SecureKafka } from '../harness/secure-kafka.ts';
import { requireElasticsearchUrl, uniqueName } from '../harness/service-env.ts';
import { randomPassword } from '../harness/test-certificates.ts';
import { waitFor } from '../harness/wait-for.ts';

const esUrl = requireElasticsearchUrl();
const run = uniqueName('secure-e2e');
const topics = { raw: `${run}-raw`, dlq: `${run}-dlq`, inventory: `${run}-inv` };
const prefix = `${run}-flows`;
const spoolRoot = path.join(projectRoot, '.local', 'test-spool', run);

/** The failure if it settled within `ms`, else undefined. */
function settledWithin(promise: Promise<KafkaFailure>, ms: number): Promise<KafkaFailure | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}

describe('pipeline over SASL_SSL with ACLs: collector → secured Kafka → enricher → Elasticsearch', { timeout: 900_000 }, () => {
  const es = createElasticsearchClient(esUrl);
  let broker: SecureKafka;
  const roles: Array<{ stop(): Promise<void> }> = [];

  before(async () => {
    broker = await startSecureKafka({ users: [
      { name: 'collector', password: randomPassword(), mechanisms: ['scram-sha-512'] },
      { name: 'enricher', password: randomPassword(), mechanisms: ['scram-sha-256'] },
      { name: 'enricher-nogroup', password: randomPassword(), mechanisms: ['scram-sha-256'] },
    ] });
    await createPipelineTopics(await broker.admin(), topics, 2);
    await broker.grant([
      ...collectorAcls('collector', { raw: topics.raw }),
      ...enricherAcls('enricher', { raw: topics.raw, deadLetter: topics.dlq, inventory: topics.inventory, groupId: `${run}-enricher` }),
      // Everything the enricher needs except its consumer group.
      ...enricherAcls('enricher-nogroup', { raw: topics.raw, deadLetter: topics.dlq, inventory: topics.inventory, groupId: `${run}-enricher` })
        .filter((acl) => !(acl.resource === 'group' && acl.pattern !== 'prefixed')),
    ]);
  });

  after(async () => {
    for (const role of roles.reverse()) await role.stop().catch(() => undefined);
    await deleteFlowIndices(es, prefix).catch(() => undefined);
    await es.close();
    await rm(spoolRoot, { recursive: true, force: true });
    await broker?.stop();
  });

  async function sumOfRecords(): Promise<{ records: number; documents: number }> {
    await es.indices.refresh({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
    const res = await es.search({ index: `${prefix}-*`, size: 0, ignore_unavailable: true, allow_no_indices: true, aggs: { records: { sum: { field: 'segflow.aggregation.records' } } } });
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    return { records: (res.aggregations?.records as { value: number } | undefined)?.value ?? 0, documents: total };
  }

  it('indexes every record the collector had acknowledged, enriched, each role within its ACLs', async () => {
    const enricher = new Enricher({
      brokers: broker.saslSslBootstrap, kafkaSecurity: broker.saslSecurity('enricher', 'scram-sha-256'),
      elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory,
      groupId: `${run}-enricher`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0,
    });
    roles.push(enricher);
    await enricher.start();
    assert.ok(enricher.inventory.revision > 0, 'the inventory was read from the secured topic');

    const collector = new Collector({
      nodeName: 'node-1', sources: ['synthetic'],
      synthetic: { resourcePaths: [path.join(projectRoot, 'examples/shop')], connectionsPerSecond: 40, seed: 7 },
      batch: { maxDelayMs: 300 },
      kafka: { brokers: [broker.saslSslBootstrap], topic: topics.raw },
      kafkaSecurity: broker.saslSecurity('collector', 'scram-sha-512'),
      spool: { directory: path.join(spoolRoot, 'collector') },
      http: null,
    });
    roles.push(collector);
    await collector.start();
    await new Promise((r) => setTimeout(r, 8000));
    await collector.drained(60_000);
    await collector.stop();
    const sent = (await collector.metrics.recordsSent.get()).values[0]?.value ?? 0;
    assert.ok(sent > 100, `the collector had ${sent} records acknowledged`);
    assert.equal(collector.status().delivery?.spooledBatches ?? 0, 0, 'nothing left in the spool');

    const indexed = await waitFor(`${sent} records in Elasticsearch`, async () => {
      const sum = await sumOfRecords();
      return sum.records >= sent ? sum : undefined;
    }, 120_000);
    assert.equal(indexed.records, sent, 'every acknowledged record indexed exactly once');

    await es.indices.refresh({ index: `${prefix}-*` });
    const docs = (await es.search<FlowDocument>({ index: `${prefix}-*`, size: 500 })).hits.hits.map((h) => h._source!);
    assert.ok(docs.some((d) => d.segflow.source.namespace === 'shop' && d.segflow.source.aggregated_name), 'sources resolved to shop workloads');
    assert.ok(docs.some((d) => d.segflow.verdict === 'allow') && docs.some((d) => d.segflow.verdict === 'deny'), 'allowed and denied flows');
    assert.ok(docs.every((d) => d.segflow.inventory?.revision === String(enricher.inventory.revision)), 'enriched with the inventory from the topic');
    assert.equal(await settledWithin(enricher.fatalKafkaFailure, 0), undefined);
    assert.equal(await settledWithin(collector.fatalKafkaFailure, 0), undefined);
  });

  it('an enricher whose principal may not use its consumer group stops with the message instead of retrying', async () => {
    const enricher = new Enricher({
      brokers: broker.saslSslBootstrap, kafkaSecurity: broker.saslSecurity('enricher-nogroup', 'scram-sha-256'),
      elasticsearchUrl: esUrl, rawTopic: topics.raw, deadLetterTopic: topics.dlq, inventoryTopic: topics.inventory,
      groupId: `${run}-enricher-2`, indexPrefix: prefix, retentionDays: 0, metricsPort: 0,
    });
    roles.push(enricher);
    await enricher.start(); // the inventory readers' groups are allowed; the main group is not
    const failure = await settledWithin(enricher.fatalKafkaFailure, 60_000);
    assert.deepEqual(failure, {
      kind: 'authorization', fatal: true,
      message: `Kafka gave SASL user "enricher-nogroup" no coordinator for consumer group '${run}-enricher-2' [KafkaJSGroupCoordinatorNotFound]: usually a missing ACL (Read on the group); kafkajs does not pass on the broker's reason, which may also be that no broker answered`,
    });
  });

  it('a collector with a wrong password keeps its batches in the spool and stops with the message', async () => {
    const collector = new Collector({
      nodeName: 'node-2', sources: ['synthetic'],
      synthetic: { resourcePaths: [path.join(projectRoot, 'examples/shop')], connectionsPerSecond: 40, seed: 8 },
      batch: { maxDelayMs: 300 },
      kafka: { brokers: [broker.saslSslBootstrap], topic: topics.raw },
      kafkaSecurity: { tls: { caFile: broker.caFile }, sasl: { mechanism: 'scram-sha-512', username: 'collector', password: 'not-the-password' } },
      spool: { directory: path.join(spoolRoot, 'collector-2') },
      http: null,
    });
    roles.push(collector);
    await collector.start();
    const failure = await settledWithin(collector.fatalKafkaFailure, 60_000);
    assert.deepEqual(failure, {
      kind: 'auth', fatal: true,
      message: `Kafka at ${broker.saslSslBootstrap} rejected the SASL login of user "collector" (SCRAM-SHA-512): wrong user name or password, or the user has no SCRAM-SHA-512 credentials [SASL_AUTHENTICATION_FAILED]`,
    });
    await collector.stop();
    const status = collector.status();
    assert.ok((status.delivery?.spooledBatches ?? 0) > 0, `batches kept in the spool for the next start: ${JSON.stringify(status.delivery)}`);
    assert.equal((await collector.metrics.recordsSent.get()).values[0]?.value ?? 0, 0);
  });
});
