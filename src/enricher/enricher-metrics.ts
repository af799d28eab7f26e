/** Prometheus metrics of the enricher (registered on the registry the role exposes). */
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

export class EnricherMetrics {
  readonly messages: Counter<'result'>;
  readonly records: Counter;
  readonly documents: Counter<'result'>;
  readonly deadLetters: Counter<'stage'>;
  readonly rejectedRecords: Counter<'reason'>;
  readonly rejectedMessages: Counter<'reason'>;
  readonly sequence: Counter<'kind'>;
  readonly missingBatches: Counter;
  readonly inventoryRevision: Gauge;
  readonly lag: Gauge<'partition'>;
  readonly goldmaneFlows: Counter<'evaluation'>;
  readonly kafkaRejoins: Counter;

  constructor(readonly registry: Registry) {
    this.messages = new Counter({ name: 'segflow_enricher_messages_total', help: 'Raw messages consumed, by result (ok, dead_letter).', labelNames: ['result'], registers: [registry] });
    this.records = new Counter({ name: 'segflow_enricher_records_total', help: 'Flow records enriched.', registers: [registry] });
    this.documents = new Counter({ name: 'segflow_enricher_documents_total', help: 'Flow documents written, skipped as already stored (replays), or read back after a conditional write met another version.', labelNames: ['result'], registers: [registry] });
    this.deadLetters = new Counter({ name: 'segflow_enricher_dead_letters_total', help: 'Messages and documents sent to the dead-letter topic, by stage.', labelNames: ['stage'], registers: [registry] });
    this.rejectedRecords = new Counter({ name: 'segflow_enricher_rejected_records_total', help: 'Records rejected (dead-lettered one by one) while the rest of their message was used, by reason; a record with several reasons counts under each.', labelNames: ['reason'], registers: [registry] });
    this.rejectedMessages = new Counter({ name: 'segflow_enricher_rejected_messages_total', help: 'Messages rejected whole, by reason (message-level and those of their records); a message with several reasons counts under each.', labelNames: ['reason'], registers: [registry] });
    this.sequence = new Counter({ name: 'segflow_enricher_batch_sequence_total', help: 'Agent batches by what their sequence number showed (next, gap, duplicate, restart, first).', labelNames: ['kind'], registers: [registry] });
    this.kafkaRejoins = new Counter({ name: 'segflow_enricher_kafka_group_rejoins_total', help: 'Times the consumer was replaced to rejoin its group: the group coordinator left the cluster or moved to another broker.', registers: [registry] });
    this.missingBatches = new Counter({ name: 'segflow_enricher_missing_batches_total', help: 'Agent batches never received (sum of sequence gaps).', registers: [registry] });
    this.inventoryRevision = new Gauge({ name: 'segflow_enricher_inventory_revision', help: 'Revision of the inventory used for enrichment.', registers: [registry] });
    this.goldmaneFlows = new Counter({ name: 'segflow_enricher_goldmane_flows_total', help: 'Flows Calico reported through Goldmane, by how segflow\'s evaluation compared (agrees, disagrees, unresolved); disagrees = Calico\'s action or enforced trace contradicts segflow\'s.', labelNames: ['evaluation'], registers: [registry] });
    this.lag = new Gauge({ name: 'segflow_enricher_consumer_lag', help: 'Messages behind the end of each raw-topic partition, after the last processed batch.', labelNames: ['partition'], registers: [registry] });
  }
}
