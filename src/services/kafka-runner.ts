/**
 * Apache Kafka in KRaft mode on the machine's JDK, from Maven Central artifacts: one combined
 * broker + controller, or broker `index` of a cluster whose every member is broker + controller
 * (a quorum of 3 survives losing one). Storage is formatted on first start; later starts reuse it.
 */
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { logLevel } from 'kafkajs';
import { createKafka } from '../runtime/kafka-client.ts';
import { selectJava } from './java-runtime.ts';
import type { LocalService, ServiceStatus, StartResult } from './local-service.ts';
import { ServiceStartError } from './local-service.ts';
import { resolveKafkaClasspath } from './maven-artifacts.ts';
import { isOwnedProcess, isPortListening, readPidFile, runCommand, sleep, spawnDetached, stopProcess, tailFile } from './process-control.ts';
import type { ServicesConfig } from './services-config.ts';

export class LocalKafka implements LocalService {
  readonly name: string;
  private readonly dir: string;
  /** Where this broker keeps its log segments (one folder per partition it holds). */
  readonly dataDir: string;
  private readonly configFile: string;
  private readonly pidFile: string;
  readonly logFile: string;

  /** `index` is this broker's place in the cluster (0 for the single broker). */
  constructor(private readonly config: ServicesConfig, readonly index = 0) {
    const clustered = config.kafka.brokers > 1;
    // The single broker keeps the folders it always had; a cluster's brokers live apart from it.
    this.name = clustered ? `kafka-${index + 1}` : 'kafka';
    this.dir = clustered ? path.join(config.baseDir, 'kafka-cluster', `broker-${index + 1}`) : path.join(config.baseDir, 'kafka');
    this.dataDir = path.join(this.dir, 'data');
    this.configFile = path.join(this.dir, 'server.properties');
    this.pidFile = path.join(this.dir, 'kafka.pid');
    this.logFile = path.join(config.baseDir, 'logs', `${this.name}.log`);
  }

  private get port(): number {
    return this.config.kafka.ports[this.index]!;
  }

  private get controllerPort(): number {
    return this.config.kafka.controllerPorts[this.index]!;
  }

  /** This broker's client address. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The bootstrap list for clients: every broker of the cluster. */
  get bootstrap(): string {
    return this.config.kafka.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  /** The client and controller ports this broker listens on. */
  get listenPorts(): number[] {
    return [this.port, this.controllerPort];
  }

  private async runningPid(): Promise<number | undefined> {
    const pid = await readPidFile(this.pidFile);
    return pid !== undefined && (await isOwnedProcess(pid, this.configFile)) ? pid : undefined;
  }

  async status(): Promise<ServiceStatus> {
    const pid = await this.runningPid();
    return { name: this.name, running: pid !== undefined, pid, endpoint: this.address, logFile: this.logFile, version: this.config.kafka.version };
  }

  async start(): Promise<StartResult> {
    const existing = await this.runningPid();
    if (existing !== undefined) return { pid: existing, alreadyRunning: true };
    for (const port of this.listenPorts) {
      if (await isPortListening(port)) {
        throw new Error(`kafka: port ${port} is already in use by a process segflow did not start; stop it or set SEGFLOW_KAFKA_PORT / SEGFLOW_KAFKA_CONTROLLER_PORT`);
      }
    }
    const java = await selectJava('kafka', this.config.kafka.javaHome, 17, 'oldest');
    const lib = await resolveKafkaClasspath(path.join(this.config.artifactsDir, `kafka-${this.config.kafka.version}`), this.config.kafka.version, this.config.mavenRepo);
    await mkdir(this.dataDir, { recursive: true });
    await mkdir(path.dirname(this.logFile), { recursive: true });
    await writeFile(this.configFile, this.serverProperties());
    const log4j = path.join(this.dir, 'log4j2.properties');
    await writeFile(log4j, LOG4J2_PROPERTIES);
    const classpath = `${lib}/*`;
    if (!(await this.isFormatted())) {
      // A cluster's brokers must share one id: the first to start writes it, the others read it.
      const clusterId = this.config.kafka.brokers > 1
        ? await sharedClusterId(path.join(this.config.baseDir, 'kafka-cluster', 'cluster.id'))
        : (await runCommand(java.executable, ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'])).trim();
      await runCommand(java.executable, ['-cp', classpath, `-Dlog4j2.configurationFile=${log4j}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', this.configFile]);
    }
    const pid = spawnDetached(java.executable, [
      `-Xms${this.config.kafka.heap}`, `-Xmx${this.config.kafka.heap}`,
      '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp', classpath, 'kafka.Kafka', this.configFile,
    ], { logFile: this.logFile, cwd: this.dir });
    await writeFile(this.pidFile, `${pid}\n`);
    return { pid, alreadyRunning: false };
  }

  private async isFormatted(): Promise<boolean> {
    try {
      await access(path.join(this.dataDir, 'meta.properties'));
      return true;
    } catch {
      return false;
    }
  }

  private serverProperties(): string {
    const { port, controllerPort } = this;
    const { brokers, controllerPorts } = this.config.kafka;
    if (brokers > 1) return this.clusterProperties();
    return [
      '# Generated by segflow services: single-node KRaft (broker + controller) on loopback.',
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPorts[0]}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${this.dataDir}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=24',
      'log.segment.bytes=134217728',
      '',
    ].join('\n');
  }

  /**
   * A cluster member: every broker is also a controller (a quorum of 3 elects a leader with one
   * member gone). Segflow's topics and Kafka's internal ones get 3 replicas (fewer with fewer
   * brokers) and need 2 in sync to accept a write, so acks=all survives one broker lost.
   */
  private clusterProperties(): string {
    const { brokers, controllerPorts } = this.config.kafka;
    const replicas = Math.min(3, brokers);
    const minInsync = replicas >= 3 ? 2 : 1;
    return [
      `# Generated by segflow services: broker ${this.index + 1} of a ${brokers}-broker KRaft cluster (each broker + controller) on loopback.`,
      'process.roles=broker,controller',
      `node.id=${this.index + 1}`,
      `controller.quorum.voters=${controllerPorts.map((p, i) => `${i + 1}@127.0.0.1:${p}`).join(',')}`,
      `listeners=PLAINTEXT://127.0.0.1:${this.port},CONTROLLER://127.0.0.1:${this.controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${this.port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      `log.dirs=${this.dataDir}`,
      'num.partitions=3',
      `default.replication.factor=${replicas}`,
      `min.insync.replicas=${minInsync}`,
      'unclean.leader.election.enable=false',
      `offsets.topic.replication.factor=${replicas}`,
      'offsets.topic.num.partitions=10',
      `transaction.state.log.replication.factor=${replicas}`,
      `transaction.state.log.min.isr=${minInsync}`,
      `share.coordinator.state.topic.replication.factor=${replicas}`,
      `share.coordinator.state.topic.min.isr=${minInsync}`,
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=24',
      'log.segment.bytes=134217728',
      '',
    ].join('\n');
  }

  async waitReady(deadline: number): Promise<void> {
    const kafka = createKafka([this.address], 'segflow-services', { logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 2000 });
    let lastError = 'no answer yet';
    while (Date.now() < deadline) {
      if ((await this.runningPid()) === undefined) {
        throw new ServiceStartError(this.name, 'the process exited', await tailFile(this.logFile), this.logFile);
      }
      const admin = kafka.admin();
      try {
        await admin.connect();
        // A metadata request answered with this broker as controller proves KRaft is up.
        const cluster = await admin.describeCluster();
        // A cluster member is ready once it sees itself registered (fenced brokers are not listed).
        const registered = cluster.brokers.some((b) => b.nodeId === this.index + 1);
        if (cluster.brokers.length > 0 && cluster.controller !== null && registered) return;
        lastError = cluster.controller === null ? 'no controller elected yet' : `broker ${this.index + 1} not registered yet`;
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      await sleep(500);
    }
    throw new ServiceStartError(this.name, `no metadata answer from ${this.address} in time (${lastError})`, await tailFile(this.logFile), this.logFile);
  }

  async stop(): Promise<{ pid: number | undefined; outcome: 'terminated' | 'killed' | 'not-running' }> {
    const pid = await this.runningPid();
    if (pid === undefined) return { pid: await readPidFile(this.pidFile), outcome: 'not-running' };
    return { pid, outcome: await stopProcess(pid, 30_000) };
  }

  /** The cluster id written at format time (for status output). */
  async clusterId(): Promise<string | undefined> {
    try {
      return /cluster\.id=(\S+)/.exec(await readFile(path.join(this.dataDir, 'meta.properties'), 'utf8'))?.[1];
    } catch {
      return undefined;
    }
  }
}

/**
 * The cluster id every broker formats its storage with: written once by the first broker
 * (exclusive create), read by the others. Kafka's ids are 16 random bytes in URL-safe base64;
 * one starting with '-' is drawn again, as Kafka does (it would read as a command-line flag).
 */
async function sharedClusterId(file: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  let id: string;
  do id = randomBytes(16).toString('base64url'); while (id.startsWith('-'));
  try {
    await writeFile(file, `${id}\n`, { flag: 'wx' });
    return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Another broker created it; it may not have written it yet.
  for (let i = 0; i < 50; i++) {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing) return existing;
    await sleep(100);
  }
  throw new Error(`kafka: ${file} stays empty; remove it and start again`);
}

const LOG4J2_PROPERTIES = `# Generated by segflow services: Kafka logs to stdout, which the runner appends to its log file.
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.zk.name = org.apache.kafka
logger.zk.level = INFO
`;
