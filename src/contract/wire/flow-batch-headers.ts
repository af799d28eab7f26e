/**
 * Kafka headers of a flow-batch message, shared by the collector that writes them and the
 * enricher that checks them.
 */

/** Header naming the schema of the message value. */
export const FLOW_BATCH_SCHEMA_HEADER = 'segflow-schema';
/** Value of {@link FLOW_BATCH_SCHEMA_HEADER}. */
export const FLOW_BATCH_SCHEMA = 'segflow.v1.FlowBatch';
