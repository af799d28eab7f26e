/**
 * A secured Kafka broker for tests, private to the test file that starts it: Kafka (the
 * Maven-resolved classpath of the local runner, KRaft, one combined broker + controller) on free
 * loopback ports, data and certificates under `.local/secure-kafka/<run>/`, removed on stop.
 *
 * Listeners:
 * - SASL_SSL (`saslSslBootstrap`): SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN;
 * - SSL with client certificates required (`mtlsBootstrap`): the principal is the certificate's
 *   CN (`ssl.principal.mapping.rules`), so `CN=collector` and SASL user `collector` are one
 *   principal and share ACLs;
 * - a second SASL_SSL listener offering only SCRAM-SHA-512 (`scram512OnlyBootstrap`), for tests
 *   of a mechanism the broker does not offer;
 * - CONTROLLER: SSL with client certificates too; the broker is also the inter-broker client.
 * Authorization: StandardAuthorizer, `allow.everyone.if.no.acl.found=false`; super users are the
 * broker and `admin` (whose certificate the harness uses for setup: users, topics, ACLs).
 *
 * Certificates come from a CA made with openssl for this broker ({@link TestCertificateAuthority});
 * the broker's keystore is PKCS#12, its truststore the CA as PEM. PLAIN users live in the
 * broker's JAAS config (a 0600 properties file); SCRAM users are created through the Admin API
 * (`alterUserScramCredentials`, by a small Java program fed on stdin: no password on any
 * command line). ACLs are created with kafkajs' createAcls.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import kafkajs, { logLevel, type Kafka } from 'kafkajs';
import { selectJava } from '../../src/services/java-runtime.ts';
import { resolveKafkaClasspath } from '../../src/services/maven-artifacts.ts';
import { runCommand } from '../../src/services/process-control.ts';
import { loadServicesConfig, projectRoot } from '../../src/services/services-config.ts';
import { createSecureKafka } from '../../src/runtime/kafka-client.ts';
import type { KafkaSecurity, SaslMechanism } from '../../src/runtime/kafka-security.ts';
import { freePort } from './free-port.ts';
import { uniqueName } from './service-env.ts';
import { TestCertificateAuthority, randomPassword } from './test-certificates.ts';

const SCRAM_TOOL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'secure-kafka', 'ScramUsers.java');

export interface SaslUser {
  readonly name: string;
  readonly password: string;
  readonly mechanisms: readonly SaslMechanism[];
}

export type AclOperation = 'read' | 'write' | 'describe' | 'create' | 'delete' | 'alter' | 'describe-configs' | 'idempotent-write' | 'all';

/** One ALLOW ACL (from any host). `principal` is the user name: `collector` means `User:collector`. */
export interface KafkaAcl {
  readonly principal: string;
  readonly resource: 'topic' | 'group' | 'cluster' | 'transactional-id';
  /** Resource name (`kafka-cluster` for the cluster), or a prefix with pattern `prefixed`. */
  readonly name: string;
  readonly pattern?: 'literal' | 'prefixed';
  readonly operations: readonly AclOperation[];
}

export interface SecureKafkaOptions {
  /** SASL users: PLAIN ones go into the JAAS config, SCRAM ones are created after start. */
  readonly users?: readonly SaslUser[];
  /** JVM heap. Default 512m. */
  readonly heap?: string;
}

export interface SecureKafka {
  readonly saslSslBootstrap: string;
  readonly mtlsBootstrap: string;
  /** SASL_SSL offering only SCRAM-SHA-512. */
  readonly scram512OnlyBootstrap: string;
  readonly ca: TestCertificateAuthority;
  /** The CA that signed the broker's certificate (what clients trust). */
  readonly caFile: string;
  readonly dir: string;
  readonly logFile: string;
  /** Mutual TLS as the super user `admin` on the mTLS listener. */
  readonly adminSecurity: KafkaSecurity;
  /** SASL_SSL security of a user given at start (or added since). */
  saslSecurity(user: string, mechanism: SaslMechanism): KafkaSecurity;
  /** Issues a client certificate with CN `principal` and returns mTLS security with it. */
  clientSecurity(principal: string, options?: { keyPassword?: string }): Promise<KafkaSecurity>;
  /** A kafkajs client for the super user (mTLS), quiet. */
  admin(): Promise<Kafka>;
  addScramUsers(users: readonly SaslUser[]): Promise<void>;
  grant(acls: readonly KafkaAcl[]): Promise<void>;
  stop(): Promise<void>;
}

// Not among the named exports Node detects in kafkajs' CommonJS module.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

const RESOURCE_TYPES = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, cluster: AclResourceTypes.CLUSTER, 'transactional-id': AclResourceTypes.TRANSACTIONAL_ID } as const;
const OPERATION_TYPES = {
  read: AclOperationTypes.READ, write: AclOperationTypes.WRITE, describe: AclOperationTypes.DESCRIBE, create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE, alter: AclOperationTypes.ALTER, 'describe-configs': AclOperationTypes.DESCRIBE_CONFIGS,
  'idempotent-write': AclOperationTypes.IDEMPOTENT_WRITE, all: AclOperationTypes.ALL,
} as const;

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts a secured broker; resolves when it answers the admin over mTLS and the SCRAM users exist. */
export async function startSecureKafka(options: SecureKafkaOptions = {}): Promise<SecureKafka> {
  const services = loadServicesConfig();
  const dir = path.join(projectRoot, '.local', 'secure-kafka', uniqueName('kafka'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'kafka.log');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const [java, lib, ca] = await Promise.all([
    selectJava('kafka', services.kafka.javaHome, 17, 'oldest'),
    resolveKafkaClasspath(path.join(services.artifactsDir, `kafka-${services.kafka.version}`), services.kafka.version, services.mavenRepo),
    TestCertificateAuthority.create(path.join(dir, 'pki')),
  ]);
  const classpath = `${lib}/*`;
  const storePassword = randomPassword();
  const [brokerCert, adminCert] = await Promise.all([
    ca.issue('broker', { usage: 'both', dnsNames: ['localhost'], ips: ['127.0.0.1'] }),
    ca.issue('admin', { usage: 'client' }),
  ]);
  const [brokerStore, adminStore] = await Promise.all([brokerCert.pkcs12(storePassword), adminCert.pkcs12(storePassword)]);
  const [saslPort, mtlsPort, scramOnlyPort, controllerPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const users = new Map<string, SaslUser>((options.users ?? []).map((u) => [u.name, u]));
  const plainUsers = [...users.values()].filter((u) => u.mechanisms.includes('plain'));

  const configFile = path.join(dir, 'server.properties');
  await writeFile(configFile, serverProperties({ dataDir, saslPort, mtlsPort, scramOnlyPort, controllerPort, brokerStore, storePassword, caFile: ca.caFile, plainUsers }), { mode: 0o600 });
  const log4j = path.join(dir, 'log4j2.properties');
  await writeFile(log4j, 'status = warn\nappender.out.type = Console\nappender.out.name = OUT\nappender.out.layout.type = PatternLayout\nappender.out.layout.pattern = [%d] %p %m (%c)%n\nrootLogger.level = INFO\nrootLogger.appenderRef.out.ref = OUT\n');
  const adminProperties = path.join(dir, 'admin.properties');
  await writeFile(adminProperties, [
    `bootstrap.servers=127.0.0.1:${mtlsPort}`, 'security.protocol=SSL',
    'ssl.keystore.type=PKCS12', `ssl.keystore.location=${adminStore}`, `ssl.keystore.password=${storePassword}`, `ssl.key.password=${storePassword}`,
    'ssl.truststore.type=PEM', `ssl.truststore.location=${ca.caFile}`, '',
  ].join('\n'), { mode: 0o600 });

  const clusterId = kafkaUuid();
  await runCommand(java.executable, ['-cp', classpath, `-Dlog4j2.configurationFile=${log4j}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', configFile]);
  const heap = options.heap ?? '512m';
  const child = spawn(java.executable, [`-Xms${heap}`, `-Xmx${heap}`, '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath, 'kafka.Kafka', configFile],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const out = createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);

  const adminSecurity: KafkaSecurity = { tls: { caFile: ca.caFile, certFile: adminCert.certFile, keyFile: adminCert.keyFile }, sasl: null };
  const mtlsBootstrap = `127.0.0.1:${mtlsPort}`;
  const saslSslBootstrap = `127.0.0.1:${saslPort}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    if (process.env.SEGFLOW_KEEP_SECURE_KAFKA !== '1') await rm(dir, { recursive: true, force: true });
  };

  const admin = (): Promise<Kafka> => createSecureKafka(mtlsBootstrap, 'secure-kafka-harness', adminSecurity, { logLevel: logLevel.NOTHING, connectionTimeout: 5000 });

  const addScramUsers = async (added: readonly SaslUser[]): Promise<void> => {
    const lines = added.flatMap((u) => u.mechanisms.filter((m) => m !== 'plain').map((m) => `${m.toUpperCase()}\t${u.name}\t${u.password}\n`));
    for (const u of added) users.set(u.name, u);
    if (lines.length === 0) return;
    await runJavaWithStdin(java.executable, ['-cp', classpath, `-Dlog4j2.configurationFile=${log4j}`, SCRAM_TOOL, adminProperties], lines.join(''));
  };

  try {
    await waitReady(admin, child, logFile);
    await addScramUsers([...users.values()]);
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  return {
    saslSslBootstrap,
    mtlsBootstrap,
    scram512OnlyBootstrap: `127.0.0.1:${scramOnlyPort}`,
    ca,
    caFile: ca.caFile,
    dir,
    logFile,
    adminSecurity,
    saslSecurity(user, mechanism) {
      const u = users.get(user);
      if (!u) throw new Error(`secure Kafka: no SASL user ${user} (known: ${[...users.keys()].join(', ') || 'none'})`);
      return { tls: { caFile: ca.caFile }, sasl: { mechanism, username: u.name, password: u.password } };
    },
    async clientSecurity(principal, issueOptions = {}) {
      const cert = await ca.issue(principal, { usage: 'client', ...(issueOptions.keyPassword !== undefined ? { keyPassword: issueOptions.keyPassword } : {}) });
      return { tls: { caFile: ca.caFile, certFile: cert.certFile, keyFile: cert.keyFile, ...(cert.keyPassword !== undefined ? { keyPassword: cert.keyPassword } : {}) }, sasl: null };
    },
    admin,
    addScramUsers,
    async grant(acls) {
      const kafka = await admin();
      const client = kafka.admin();
      await client.connect();
      try {
        await client.createAcls({
          acl: acls.flatMap((a) => a.operations.map((op) => ({
            resourceType: RESOURCE_TYPES[a.resource],
            resourceName: a.name,
            resourcePatternType: a.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
            principal: `User:${a.principal}`,
            host: '*',
            operation: OPERATION_TYPES[op],
            permissionType: AclPermissionTypes.ALLOW,
          }))),
        });
      } finally {
        await client.disconnect();
      }
    },
    stop,
  };
}

function serverProperties(p: { dataDir: string; saslPort: number; mtlsPort: number; scramOnlyPort: number; controllerPort: number; brokerStore: string; storePassword: string; caFile: string; plainUsers: readonly SaslUser[] }): string {
  const plainJaas = `org.apache.kafka.common.security.plain.PlainLoginModule required${p.plainUsers.map((u) => ` user_${u.name}="${u.password}"`).join('')};`;
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    '# Generated by the secure Kafka test harness: single-node KRaft with SASL_SSL, mTLS and ACLs.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controllerPort}`,
    `listeners=SASL_SSL://127.0.0.1:${p.saslPort},MTLS://127.0.0.1:${p.mtlsPort},SCRAMONLY://127.0.0.1:${p.scramOnlyPort},CONTROLLER://127.0.0.1:${p.controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${p.saslPort},MTLS://127.0.0.1:${p.mtlsPort},SCRAMONLY://127.0.0.1:${p.scramOnlyPort}`,
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,MTLS:SSL,SCRAMONLY:SASL_SSL,CONTROLLER:SSL',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=MTLS',
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${p.brokerStore}`,
    `ssl.keystore.password=${p.storePassword}`,
    `ssl.key.password=${p.storePassword}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${p.caFile}`,
    'listener.name.mtls.ssl.client.auth=required',
    'listener.name.controller.ssl.client.auth=required',
    'ssl.principal.mapping.rules=RULE:^CN=([^,]+)$/$1/,DEFAULT',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'listener.name.sasl_ssl.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    `listener.name.sasl_ssl.plain.sasl.jaas.config=${plainJaas}`,
    `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${scramJaas}`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scramJaas}`,
    'listener.name.scramonly.sasl.enabled.mechanisms=SCRAM-SHA-512',
    `listener.name.scramonly.scram-sha-512.sasl.jaas.config=${scramJaas}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    'super.users=User:broker;User:admin',
    `log.dirs=${p.dataDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    '',
  ].join('\n');
}

/** A Kafka cluster id: 16 random bytes, base64url without padding, not starting with '-'. */
function kafkaUuid(): string {
  for (;;) {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function waitReady(admin: () => Promise<Kafka>, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`secure Kafka exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${await tail(logFile)}`);
    const client = (await admin()).admin({ retry: { retries: 0 } });
    try {
      await client.connect();
      const cluster = await client.describeCluster();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
      last = 'no controller yet';
    } catch (err) {
      last = (err as Error).message;
    } finally {
      await client.disconnect().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`secure Kafka not ready in 120 s (${last}):\n${await tail(logFile)}`);
}

function runJavaWithStdin(java: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args.find((a) => a.endsWith('.java')) ?? java)} exited ${code}:\n${output.split('\n').slice(-30).join('\n')}`))));
    child.stdin.end(input);
  });
}

async function tail(file: string, lines = 40): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
