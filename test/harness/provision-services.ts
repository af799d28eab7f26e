/**
 * Provides Kafka and Elasticsearch to the tests that need them, once per test run, chosen in
 * this order: `KAFKA_BROKERS` / `ELASTICSEARCH_URL` from the environment; else testcontainers
 * when a Docker daemon answers; else the local JVM runner (`src/services`), on its own ports and
 * data folder so a developer's running `segflow up` is never touched.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { LocalServices } from '../../src/services/local-services.ts';
import { loadServicesConfig, projectRoot } from '../../src/services/services-config.ts';

export interface ProvisionedServices {
  readonly kafkaBrokers: string;
  readonly elasticsearchUrl: string;
  /** Where they came from, for the run's header line. */
  readonly origin: 'environment' | 'testcontainers' | 'local-jvm';
  readonly detail: string;
  /** Stops what this provisioning started (nothing for the environment). */
  stop(): Promise<void>;
}

/** Ports for the test instance of the local runner; override with the usual SEGFLOW_* variables. */
const TEST_PORTS = { SEGFLOW_KAFKA_PORT: '29092', SEGFLOW_KAFKA_CONTROLLER_PORT: '29093', SEGFLOW_ES_PORT: '29200', SEGFLOW_ES_TRANSPORT_PORT: '29300' };

export async function provisionServices(log: (line: string) => void): Promise<ProvisionedServices> {
  const { KAFKA_BROKERS, ELASTICSEARCH_URL } = process.env;
  if (KAFKA_BROKERS && ELASTICSEARCH_URL) {
    return { kafkaBrokers: KAFKA_BROKERS, elasticsearchUrl: ELASTICSEARCH_URL, origin: 'environment', detail: 'KAFKA_BROKERS / ELASTICSEARCH_URL', stop: async () => undefined };
  }
  if (KAFKA_BROKERS || ELASTICSEARCH_URL) {
    throw new Error('set both KAFKA_BROKERS and ELASTICSEARCH_URL, or neither (then the test run starts its own)');
  }
  if (await dockerAnswers()) return provisionWithContainers(log);
  return provisionWithLocalJvm(log);
}

async function dockerAnswers(): Promise<boolean> {
  if (process.env.SEGFLOW_TEST_NO_DOCKER === '1') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    return Boolean(client.info.containerRuntime.host);
  } catch {
    return false;
  }
}

/** Images match docker-compose.yml; confluentinc/cp-kafka 8.x is Kafka 4.x in KRaft mode. */
async function provisionWithContainers(log: (line: string) => void): Promise<ProvisionedServices> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { ElasticsearchContainer } = await import('@testcontainers/elasticsearch');
  log('starting Kafka and Elasticsearch with testcontainers (a Docker daemon answered)');
  const [kafka, es] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:8.1.0').withKraft().start(),
    new ElasticsearchContainer('docker.elastic.co/elasticsearch/elasticsearch:8.19.21').withEnvironment({ ES_JAVA_OPTS: '-Xms1g -Xmx1g' }).start(),
  ]);
  const esUrl = new URL(es.getHttpUrl());
  esUrl.username = es.getUsername();
  esUrl.password = es.getPassword();
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    elasticsearchUrl: esUrl.toString().replace(/\/$/, ''),
    origin: 'testcontainers',
    detail: 'confluentinc/cp-kafka:8.1.0, elasticsearch:8.19.21',
    stop: async () => {
      await Promise.allSettled([kafka.stop(), es.stop()]);
    },
  };
}

async function provisionWithLocalJvm(log: (line: string) => void): Promise<ProvisionedServices> {
  const env: NodeJS.ProcessEnv = { ...TEST_PORTS, ...process.env };
  env.SEGFLOW_SERVICES_DIR ??= path.join(projectRoot, '.local', 'test-services');
  const config = loadServicesConfig(env);
  const services = new LocalServices(config);
  // Each run starts from empty storage so tests never see a previous run's topics or indices.
  if ((await services.status()).some((s) => s.running)) await services.down();
  await rm(path.join(config.baseDir, 'kafka'), { recursive: true, force: true });
  await rm(path.join(config.baseDir, 'elasticsearch'), { recursive: true, force: true });
  log(`starting local Kafka ${config.kafka.version} and Elasticsearch ${config.elasticsearch.version} on the JDK (no Docker daemon answered) in ${config.baseDir}`);
  let report;
  try {
    report = await services.up();
  } catch (err) {
    await services.down().catch(() => undefined);
    throw err;
  }
  return {
    kafkaBrokers: report.kafkaBrokers,
    elasticsearchUrl: report.elasticsearchUrl,
    origin: 'local-jvm',
    detail: `ready in ${(report.totalMs / 1000).toFixed(1)} s; logs: ${report.services.map((s) => s.logFile).join(', ')}`,
    stop: async () => {
      const results = await services.down();
      log(`stopped ${results.map((r) => `${r.name} (pid ${r.pid}: ${r.outcome})`).join(', ')}`);
    },
  };
}
