/**
 * The enricher's build step: the Kafka and Elasticsearch clients and the processing pieces
 * (bulk writer, agent report writer, batch processor), created without connecting anything.
 * `Enricher.start()` builds first; tests and benches may hand in real clients of their own
 * (`EnricherDependencies`), the same way as for the collector and the API.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Kafka, RetryOptions } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Inventory } from '../inventory/inventory.ts';
import { createElasticsearchClient } from '../runtime/elasticsearch-client.ts';
import { createSecureKafka } from '../runtime/kafka-client.ts';
import type { KafkaFailure } from '../runtime/kafka-errors.ts';
import type { Logger } from '../runtime/logger.ts';
import { AgentReportWriter } from './elasticsearch/agent-report-writer.ts';
import { bulkRequestFromClient, FlowBulkWriter } from './elasticsearch/flow-bulk-writer.ts';
import type { EnricherConfig } from './enricher-config.ts';
import { FlowBatchProcessor } from './flow-batch-processor.ts';
import { effectiveMaxRecordAgeMs } from './ingest/record-bounds.ts';
import type { SequenceTracker } from './sequence-tracker.ts';
import { fetchStoredFlowDocuments } from './stored-flow-documents.ts';
import { enrichmentInventoryOf } from './transform/inventory-adapter.ts';
import { SummaryRollup } from './summary/summary-rollup.ts';
import { SummaryScheduler } from './summary/summary-scheduler.ts';

/** Things a test, a bench or an embedding program may substitute. */
export interface EnricherDependencies {
  /**
   * A Kafka client instead of one for `config.brokers` and `config.kafkaSecurity`. The enricher
   * disconnects what it creates from it on stop. Fatal failures (TLS, SASL, ACL) are reported
   * through `fatalKafkaFailure` only with a client the enricher created.
   */
  readonly kafka?: Kafka;
  /** An Elasticsearch client instead of one for `config.elasticsearch`/`elasticsearchUrl`; not closed on stop. */
  readonly elasticsearch?: Client;
  readonly logger?: Logger;
}

/** What the enricher itself is told by the Kafka client it creates. */
export interface EnricherKafkaHooks {
  /** A failure retrying cannot fix (TLS, SASL, ACL). */
  onFatal(failure: KafkaFailure): void;
  /** A transient failure kafkajs retries (its own line went to debug). */
  onTransient(message: string): void;
}

/** The enricher's state the processing pieces work on. */
export interface EnricherState {
  readonly inventory: Inventory;
  readonly sequences: SequenceTracker;
  readonly registry: Registry;
  readonly log: Logger;
}

/** The built pieces. */
export interface EnricherParts {
  readonly kafka: Kafka;
  readonly elasticsearch: Client;
  /** The Elasticsearch client was created here (closed on stop), not handed in. */
  readonly ownsElasticsearch: boolean;
  readonly reports: AgentReportWriter;
  readonly processor: FlowBatchProcessor;
  /** Rolls up the stats summaries of the blocks the processor wrote into (stop it on stop). */
  readonly summaries: SummaryScheduler;
}

/** Connection attempts: short waits, so a broker that is back is found within a second. */
const CLIENT_RETRY: RetryOptions = { initialRetryTime: 200, maxRetryTime: 1000 };

/** Creates the clients (unless handed in) and the processing pieces; connects nothing. */
export async function buildEnricherParts(config: EnricherConfig, dependencies: EnricherDependencies, state: EnricherState, hooks: EnricherKafkaHooks): Promise<EnricherParts> {
  const kafka = dependencies.kafka ?? await createSecureKafka(config.brokers, 'segflow-enricher', config.kafkaSecurity, { retry: CLIENT_RETRY }, hooks);
  const elasticsearch = dependencies.elasticsearch ?? createElasticsearchClient(config.elasticsearch ?? config.elasticsearchUrl);
  const reports = new AgentReportWriter(elasticsearch, config.indexPrefix);
  // Few, short retries inside a batch: a longer outage is the enricher's to handle (pause,
  // probe, resume), and it reports it once instead of the writer reporting every retry.
  const writer = new FlowBulkWriter({ bulk: bulkRequestFromClient(elasticsearch), registry: state.registry, logger: demoted(state.log), maxAttempts: 4, maxBackoffMs: 2000 });
  const rollup = new SummaryRollup({ client: elasticsearch, prefix: config.indexPrefix, logger: state.log.child({ component: 'summary-rollup' }) });
  const summaries = new SummaryScheduler({ rollUp: (blocks) => rollup.rollUp(blocks), logger: state.log.child({ component: 'summary-rollup' }) });
  // Settled writes tell the scheduler which summary blocks changed (src/enricher/summary/).
  const write = async (items: Parameters<FlowBulkWriter['write']>[0]): ReturnType<FlowBulkWriter['write']> => {
    const result = await writer.write(items);
    summaries.touched(items.map((item) => Date.parse(item.document['@timestamp'])));
    return result;
  };
  const processor = new FlowBatchProcessor(
    { topic: config.rawTopic, indexPrefix: config.indexPrefix, aggregation: config.aggregation, maxMessageBytes: config.maxMessageBytes, maxBulkDocuments: config.maxBulkDocuments, bulkConcurrency: config.bulkConcurrency, writtenDocuments: config.writtenDocuments,
      bounds: { maxRecordAgeMs: effectiveMaxRecordAgeMs(config.retentionDays, config.maxRecordAgeMs), maxClockSkewMs: config.maxClockSkewMs, maxLinkBitsPerSecond: config.maxLinkBitsPerSecond } },
    enrichmentInventoryOf(state.inventory),
    state.sequences,
    { fetchStored: (refs) => fetchStoredFlowDocuments(elasticsearch, refs), write, writeReports: (r) => reports.writeBatchReports(r) },
  );
  return { kafka, elasticsearch, ownsElasticsearch: dependencies.elasticsearch === undefined, reports, processor, summaries };
}

/**
 * The bulk writer's log with its retry and give-up lines at debug level: the enricher reports
 * their consequence itself (one line per Elasticsearch outage, one per other persistent failure).
 */
function demoted(log: Logger): Logger {
  const child = log.child({ component: 'bulk-writer' });
  return new Proxy(child, {
    get(target, property, receiver) {
      if (property === 'warn' || property === 'error') return target.debug.bind(target);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
