/**
 * What integration and end-to-end tests use to reach the services the test run provided.
 * A test that needs a service the run did not provide fails with the reason; it never skips.
 */
export function requireKafkaBrokers(): string {
  const value = process.env.KAFKA_BROKERS;
  if (!value) throw new Error('KAFKA_BROKERS is not set: run integration tests through `npm test` (which starts Kafka) or export KAFKA_BROKERS');
  return value;
}

export function requireElasticsearchUrl(): string {
  const value = process.env.ELASTICSEARCH_URL;
  if (!value) throw new Error('ELASTICSEARCH_URL is not set: run integration tests through `npm test` (which starts Elasticsearch) or export ELASTICSEARCH_URL');
  return value;
}

/** A name no other test run or test file uses, for topics, groups and indices. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
