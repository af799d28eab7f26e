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
    /** Client listener port (of the first broker). Env: SEGFLOW_KAFKA_PORT. */
    readonly port: number;
    /** KRaft controller listener port (of the first broker). Env: SEGFLOW_KAFKA_CONTROLLER_PORT. */
    readonly controllerPort: number;
    /**
     * Brokers (each broker + controller, KRaft). Env: SEGFLOW_KAFKA_BROKER_COUNT, default 1. With
     * 3 or more, topics are replicated 3 times with `min.insync.replicas` 2.
     */
    readonly brokers: number;
    /** Client port of every broker: SEGFLOW_KAFKA_PORTS (comma list), else port + 100 × i. */
    readonly ports: readonly number[];
    /** Controller port of every broker: SEGFLOW_KAFKA_CONTROLLER_PORTS, else controllerPort + 100 × i. */
    readonly controllerPorts: readonly number[];
    /** JVM heap per broker, e.g. "1g". Env: SEGFLOW_KAFKA_HEAP (default 1g alone, 384m per broker in a cluster). */
    readonly heap: string;
    /** JDK for Kafka (17+). Env: SEGFLOW_KAFKA_JAVA_HOME, else JAVA_HOME, else `java` on PATH. */
    readonly javaHome: string | undefined;
  };
  readonly elasticsearch: {
    /** org.elasticsearch.distribution.integ-test-zip:elasticsearch version. Env: SEGFLOW_ES_VERSION. */
    readonly version: string;
    /** HTTP port (of the first node). Env: SEGFLOW_ES_PORT. */
    readonly port: number;
    /** Transport port (of the first node; loopback only). Env: SEGFLOW_ES_TRANSPORT_PORT. */
    readonly transportPort: number;
    /** Nodes in the cluster. Env: SEGFLOW_ES_NODE_COUNT, default 1 (discovery.type single-node). */
    readonly nodes: number;
    /** HTTP port of every node: SEGFLOW_ES_PORTS (comma list), else port + i. */
    readonly ports: readonly number[];
    /** Transport port of every node: SEGFLOW_ES_TRANSPORT_PORTS, else transportPort + i. */
    readonly transportPorts: readonly number[];
    /** JVM heap per node (Xms = Xmx). Env: SEGFLOW_ES_HEAP (default 2g alone, 768m per node in a cluster). */
    readonly heap: string;
    /** JDK for Elasticsearch. Env: ES_JAVA_HOME, else the newest JDK found in /usr/lib/jvm. */
    readonly javaHome: string | undefined;
    /** Unprivileged user Elasticsearch runs as when segflow runs as root. Env: SEGFLOW_ES_USER. */
    readonly runAsUser: string;
    /**
     * Security on (users, roles, 401/403) over plain HTTP on loopback, for tests of least-privilege
     * roles; undefined (the default) keeps security off. The `elastic` user's bootstrap password
     * is read from `elasticPasswordFile` into the node's keystore (never on a command line). Env:
     * SEGFLOW_ES_ELASTIC_PASSWORD_FILE (setting it turns security on; a single node only).
     */
    readonly security: { readonly elasticPasswordFile: string } | undefined;
  };
  /** How long `up` waits for each service to answer. Env: SEGFLOW_SERVICES_TIMEOUT_MS (default 180 s, 420 s for clusters). */
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

/** Nodes of a cluster: 1 to 9 (loopback clusters on one machine; more would only contend). */
function countFromEnv(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 9) throw new Error(`${name}=${raw} is not a node count from 1 to 9`);
  return value;
}

/**
 * The port of every node: an explicit comma list (`listName`, exactly `count` ports), else the
 * first port plus `step` × i. All problems of a list are named at once.
 */
function portsFromEnv(env: NodeJS.ProcessEnv, listName: string, first: number, count: number, step: number): number[] {
  const raw = env[listName];
  if (raw === undefined || raw === '') return Array.from({ length: count }, (_, i) => first + step * i);
  const entries = raw.split(',').map((p) => p.trim());
  const problems: string[] = [];
  if (entries.length !== count) problems.push(`${entries.length} port(s) for ${count} node(s)`);
  for (const entry of entries) {
    const value = Number(entry);
    if (!Number.isInteger(value) || value <= 0 || value > 65535) problems.push(`'${entry}' is not a port`);
  }
  if (problems.length > 0) throw new Error(`${listName}=${raw}: ${problems.join('; ')}`);
  return entries.map(Number);
}

/** Reads the services configuration from the environment, with defaults for one machine. */
export function loadServicesConfig(env: NodeJS.ProcessEnv = process.env): ServicesConfig {
  const kafkaPort = intFromEnv(env, 'SEGFLOW_KAFKA_PORT', 9092);
  const kafkaControllerPort = intFromEnv(env, 'SEGFLOW_KAFKA_CONTROLLER_PORT', 9093);
  const brokers = countFromEnv(env, 'SEGFLOW_KAFKA_BROKER_COUNT');
  const esPort = intFromEnv(env, 'SEGFLOW_ES_PORT', 9200);
  const esTransportPort = intFromEnv(env, 'SEGFLOW_ES_TRANSPORT_PORT', 9300);
  const esNodes = countFromEnv(env, 'SEGFLOW_ES_NODE_COUNT');
  const kafkaPorts = portsFromEnv(env, 'SEGFLOW_KAFKA_PORTS', kafkaPort, brokers, 100);
  const kafkaControllerPorts = portsFromEnv(env, 'SEGFLOW_KAFKA_CONTROLLER_PORTS', kafkaControllerPort, brokers, 100);
  const esPorts = portsFromEnv(env, 'SEGFLOW_ES_PORTS', esPort, esNodes, 1);
  const esTransportPorts = portsFromEnv(env, 'SEGFLOW_ES_TRANSPORT_PORTS', esTransportPort, esNodes, 1);
  const all = [...kafkaPorts, ...kafkaControllerPorts, ...esPorts, ...esTransportPorts];
  const clashes = [...new Set(all.filter((p, i) => all.indexOf(p) !== i))];
  if (clashes.length > 0) throw new Error(`services configuration: port(s) ${clashes.join(', ')} given to more than one listener; set the SEGFLOW_*_PORT(S) variables apart`);
  const elasticPasswordFile = env.SEGFLOW_ES_ELASTIC_PASSWORD_FILE || undefined;
  // A secured cluster would need transport TLS between its nodes; only the single node is offered.
  if (elasticPasswordFile !== undefined && esNodes > 1) throw new Error(`SEGFLOW_ES_ELASTIC_PASSWORD_FILE (security on) works with a single node only, but SEGFLOW_ES_NODE_COUNT=${esNodes}`);
  return {
    baseDir: path.resolve(env.SEGFLOW_SERVICES_DIR ?? path.join(projectRoot, '.local', 'services')),
    artifactsDir: path.resolve(env.SEGFLOW_ARTIFACTS_DIR ?? path.join(projectRoot, '.local', 'artifacts')),
    mavenRepo: env.SEGFLOW_MAVEN_REPO || undefined,
    kafka: {
      version: env.SEGFLOW_KAFKA_VERSION ?? '4.4.0',
      port: kafkaPorts[0]!,
      controllerPort: kafkaControllerPorts[0]!,
      brokers,
      ports: kafkaPorts,
      controllerPorts: kafkaControllerPorts,
      heap: env.SEGFLOW_KAFKA_HEAP || (brokers > 1 ? '384m' : '1g'),
      javaHome: env.SEGFLOW_KAFKA_JAVA_HOME || env.JAVA_HOME || undefined,
    },
    elasticsearch: {
      version: env.SEGFLOW_ES_VERSION ?? '8.19.21',
      port: esPorts[0]!,
      transportPort: esTransportPorts[0]!,
      nodes: esNodes,
      ports: esPorts,
      transportPorts: esTransportPorts,
      heap: env.SEGFLOW_ES_HEAP || (esNodes > 1 ? '768m' : '2g'),
      javaHome: env.ES_JAVA_HOME || undefined,
      runAsUser: env.SEGFLOW_ES_USER ?? 'segflow',
      security: elasticPasswordFile === undefined ? undefined : { elasticPasswordFile: path.resolve(elasticPasswordFile) },
    },
    // A cluster's members start side by side on the same cores: they get longer.
    startTimeoutMs: intFromEnv(env, 'SEGFLOW_SERVICES_TIMEOUT_MS', brokers > 1 || esNodes > 1 ? 420_000 : 180_000),
  };
}
