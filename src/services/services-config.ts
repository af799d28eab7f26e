/**
 * Configuration of the local Kafka and Elasticsearch that `segflow services` runs on the
 * machine's JDK. Every option has a default and an environment variable, so tests, CI and
 * `segflow up` share one definition.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (where package.json lives); local state goes under `<root>/.local`. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServicesConfig {
  /** Folder for downloads, data and logs (git-ignored). Env: SEGFLOW_SERVICES_DIR. */
  readonly baseDir: string;
  /** Downloaded and unpacked distributions, shared by every instance. Env: SEGFLOW_ARTIFACTS_DIR. */
  readonly artifactsDir: string;
  /** Maven cache shared across checkouts. Env: SEGFLOW_MAVEN_REPO (default: Maven's own ~/.m2). */
  readonly mavenRepo: string | undefined;
  readonly kafka: {
    /** org.apache.kafka:kafka_2.13 version. Env: SEGFLOW_KAFKA_VERSION. */
    readonly version: string;
    /** Client listener port. Env: SEGFLOW_KAFKA_PORT. */
    readonly port: number;
    /** KRaft controller listener port. Env: SEGFLOW_KAFKA_CONTROLLER_PORT. */
    readonly controllerPort: number;
    /** JVM heap, e.g. "1g". Env: SEGFLOW_KAFKA_HEAP. */
    readonly heap: string;
    /** JDK for Kafka (17+). Env: SEGFLOW_KAFKA_JAVA_HOME, else JAVA_HOME, else `java` on PATH. */
    readonly javaHome: string | undefined;
  };
  readonly elasticsearch: {
    /** org.elasticsearch.distribution.integ-test-zip:elasticsearch version. Env: SEGFLOW_ES_VERSION. */
    readonly version: string;
    /** HTTP port. Env: SEGFLOW_ES_PORT. */
    readonly port: number;
    /** Transport port (single node, loopback only). Env: SEGFLOW_ES_TRANSPORT_PORT. */
    readonly transportPort: number;
    /** JVM heap (Xms = Xmx). Env: SEGFLOW_ES_HEAP. */
    readonly heap: string;
    /** JDK for Elasticsearch. Env: ES_JAVA_HOME, else the newest JDK found in /usr/lib/jvm. */
    readonly javaHome: string | undefined;
    /** Unprivileged user Elasticsearch runs as when segflow runs as root. Env: SEGFLOW_ES_USER. */
    readonly runAsUser: string;
  };
  /** How long `up` waits for each service to answer. Env: SEGFLOW_SERVICES_TIMEOUT_MS. */
  readonly startTimeoutMs: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535 * 1000) {
    throw new Error(`${name}=${raw} is not a positive integer`);
  }
  return value;
}

/** Reads the services configuration from the environment, with defaults for one machine. */
export function loadServicesConfig(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  return {
    baseDir: path.resolve(env.SEGFLOW_SERVICES_DIR ?? path.join(projectRoot, '.local', 'services')),
    artifactsDir: path.resolve(env.SEGFLOW_ARTIFACTS_DIR ?? path.join(projectRoot, '.local', 'artifacts')),
    mavenRepo: env.SEGFLOW_MAVEN_REPO || undefined,
    kafka: {
      version: env.SEGFLOW_KAFKA_VERSION ?? '4.4.0',
      port: intFromEnv(env, 'SEGFLOW_KAFKA_PORT', 9092),
      controllerPort: intFromEnv(env, 'SEGFLOW_KAFKA_CONTROLLER_PORT', 9093),
      heap: env.SEGFLOW_KAFKA_HEAP ?? '1g',
      javaHome: env.SEGFLOW_KAFKA_JAVA_HOME || env.JAVA_HOME || undefined,
    },
    elasticsearch: {
      version: env.SEGFLOW_ES_VERSION ?? '8.19.21',
      port: intFromEnv(env, 'SEGFLOW_ES_PORT', 9200),
      transportPort: intFromEnv(env, 'SEGFLOW_ES_TRANSPORT_PORT', 9300),
      heap: env.SEGFLOW_ES_HEAP ?? '2g',
      javaHome: env.ES_JAVA_HOME || undefined,
      runAsUser: env.SEGFLOW_ES_USER ?? 'segflow',
    },
    startTimeoutMs: intFromEnv(env, 'SEGFLOW_SERVICES_TIMEOUT_MS', 180_000),
  };
}
