/**
 * Elasticsearch from the Maven Central `integ-test-zip` distribution, loopback only, security
 * off unless `elasticsearch.security` asks for it (then users and roles over plain HTTP, for
 * tests of least-privilege roles): a single node, or node `index` of a cluster whose members discover each other over
 * their transport ports (every member master-eligible, so 3 keep a quorum with one lost). Elasticsearch refuses to run as root, so when segflow runs as root it
 * starts the server as an unprivileged user (created when missing) that owns the data folder.
 */
import { spawn } from 'node:child_process';
import { access, chmod, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { selectJava } from './java-runtime.ts';
import type { LocalService, ServiceStatus, StartResult } from './local-service.ts';
import { ServiceStartError } from './local-service.ts';
import { installElasticsearchModule, type ElasticsearchModuleSource } from './elasticsearch-root-module.ts';
import { resolveElasticsearchDistribution } from './maven-artifacts.ts';
import { isOwnedProcess, isPortListening, readPidFile, runCommand, sleep, stopProcess, tailFile } from './process-control.ts';
import { projectRoot, type ServicesConfig } from './services-config.ts';

/**
 * The analysis components the security index is created with (services/elasticsearch-security-
 * analysis-module): the integ-test-zip has no analysis-common, so without them no user, role or
 * API key could be stored.
 */
const SECURITY_ANALYSIS_MODULE: ElasticsearchModuleSource = {
  name: 'segflow-security-analysis',
  sourceDir: path.join(projectRoot, 'services', 'elasticsearch-security-analysis-module'),
};

export class LocalElasticsearch implements LocalService {
  readonly name: string;
  private readonly dir: string;
  private readonly configDir: string;
  private readonly pidFile: string;
  readonly logFile: string;
  private readonly consoleLog: string;

  /** `index` is this node's place in the cluster (0 for the single node). */
  constructor(private readonly config: ServicesConfig, readonly index = 0) {
    const clustered = config.elasticsearch.nodes > 1;
    // The single node keeps the folders it always had; a cluster's nodes live apart from it.
    this.name = clustered ? `elasticsearch-${index + 1}` : 'elasticsearch';
    this.dir = clustered ? path.join(config.baseDir, 'elasticsearch-cluster', `node-${index + 1}`) : path.join(config.baseDir, 'elasticsearch');
    this.configDir = path.join(this.dir, 'config');
    this.pidFile = path.join(this.dir, 'run', 'elasticsearch.pid');
    this.logFile = path.join(this.dir, 'logs', 'segflow-local.log');
    this.consoleLog = path.join(config.baseDir, 'logs', `${this.name}-launcher.log`);
  }

  private get port(): number {
    return this.config.elasticsearch.ports[this.index]!;
  }

  private get transportPort(): number {
    return this.config.elasticsearch.transportPorts[this.index]!;
  }

  /** This node's HTTP address. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The HTTP and transport ports this node listens on. */
  get listenPorts(): number[] {
    return [this.port, this.transportPort];
  }

  /** The node name in the cluster (`_cat/nodes`, shard allocation). */
  get nodeName(): string {
    return this.config.elasticsearch.nodes > 1 ? `segflow-node-${this.index + 1}` : 'segflow-local';
  }

  private async runningPid(): Promise<number | undefined> {
    const pid = await readPidFile(this.pidFile);
    return pid !== undefined && (await isOwnedProcess(pid, this.instanceMarker)) ? pid : undefined;
  }

  /** A system property on the server JVM's command line that names this instance's folder. */
  private get instanceMarker(): string {
    return `-Dsegflow.instance=${this.dir}`;
  }

  async status(): Promise<ServiceStatus> {
    const pid = await this.runningPid();
    return { name: this.name, running: pid !== undefined, pid, endpoint: this.url, logFile: this.logFile, version: this.config.elasticsearch.version };
  }

  async start(): Promise<StartResult> {
    const existing = await this.runningPid();
    if (existing !== undefined) return { pid: existing, alreadyRunning: true };
    const { version, heap, runAsUser } = this.config.elasticsearch;
    for (const p of this.listenPorts) {
      if (await isPortListening(p)) {
        throw new Error(`elasticsearch: port ${p} is already in use by a process segflow did not start; stop it or set SEGFLOW_ES_PORT / SEGFLOW_ES_TRANSPORT_PORT`);
      }
    }
    // Elasticsearch 8.19 runs on Java 17+; the newest JDK present is preferred (its bundled JDK is 24).
    const java = await selectJava('elasticsearch', this.config.elasticsearch.javaHome, 17, 'newest');
    const security = this.config.elasticsearch.security;
    // A secured node gets a copy of the distribution of its own, with the module its security
    // index needs: the shared copy's module set, which running nodes load, stays as it is.
    const home = await resolveElasticsearchDistribution(path.join(this.config.artifactsDir, `elasticsearch-${version}${security ? '-secured' : ''}`), version, this.config.mavenRepo);
    if (security) await installElasticsearchModule(SECURITY_ANALYSIS_MODULE, home, version, this.config.mavenRepo);
    for (const sub of ['data', 'logs', 'run', 'config']) await mkdir(path.join(this.dir, sub), { recursive: true });
    await mkdir(path.dirname(this.consoleLog), { recursive: true });
    await this.writeConfig(home);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ES_JAVA_HOME: java.home ?? path.dirname(path.dirname(java.executable)),
      ES_PATH_CONF: this.configDir,
      ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap} ${this.instanceMarker}`,
    };
    if (security) await this.writeBootstrapPassword(home, env, security.elasticPasswordFile);
    const launcher = [path.join(home, 'bin', 'elasticsearch'), '-d', '-p', this.pidFile];
    let command = launcher[0] as string;
    let args = launcher.slice(1);
    if (process.getuid?.() === 0) {
      await ensureSystemUser(runAsUser);
      await runCommand('chown', ['-R', `${runAsUser}:`, this.dir]);
      await ensureTraversable(this.dir);
      // runuser keeps the environment we pass through `env`, and needs no password or tty.
      command = 'runuser';
      args = ['-u', runAsUser, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v ?? ''}`), ...launcher];
    }
    try {
      // With -d the launcher returns once the node has started (or failed), leaving the server JVM.
      const output = await runCommand(command, args, { env: { ...process.env, ...env }, timeoutMs: this.config.startTimeoutMs, ownSession: true });
      if (output.trim()) await writeFile(this.consoleLog, output, { flag: 'a' });
    } catch (err) {
      const launcherOutput = (err as Error).message.split('\n').slice(1).join('\n');
      throw new ServiceStartError(this.name, 'the launcher exited with an error', `${launcherOutput}\n${await tailFile(this.logFile)}`, this.logFile);
    }
    const pid = await readPidFile(this.pidFile);
    if (pid === undefined) throw new ServiceStartError(this.name, `no pid file at ${this.pidFile}`, await tailFile(this.logFile), this.logFile);
    return { pid, alreadyRunning: false };
  }

  /**
   * Puts the `elastic` user's bootstrap password into the node's keystore, piped to
   * `elasticsearch-keystore add --stdin` so it never appears on a command line or in a file of ours.
   */
  private async writeBootstrapPassword(home: string, env: NodeJS.ProcessEnv, passwordFile: string): Promise<void> {
    let password: string;
    try {
      password = (await readFile(passwordFile, 'utf8')).replace(/\r?\n$/, '');
    } catch (err) {
      throw new Error(`${this.name}: cannot read the elastic user's password file ${passwordFile} (SEGFLOW_ES_ELASTIC_PASSWORD_FILE): ${(err as Error).message}`, { cause: err });
    }
    // Elasticsearch refuses bootstrap passwords shorter than 6 characters only when used; say it now.
    if (password.length < 6) throw new Error(`${this.name}: the elastic user's password in ${passwordFile} must have at least 6 characters`);
    const tool = path.join(home, 'bin', 'elasticsearch-keystore');
    const toolEnv = { ...process.env, ...env, ES_JAVA_OPTS: '' };
    // Written afresh each start: a keystore left by the previous start belongs to the server's
    // user when segflow runs as root, and the tool refuses to change a keystore's owner.
    await rm(path.join(this.configDir, 'elasticsearch.keystore'), { force: true });
    await runWithInput(tool, ['create'], '', toolEnv);
    await runWithInput(tool, ['add', '--force', '--stdin', 'bootstrap.password'], password, toolEnv);
  }

  /** The Authorization header of `elastic` when security is on (for readiness checks). */
  private async authorization(): Promise<Record<string, string>> {
    const security = this.config.elasticsearch.security;
    if (!security) return {};
    const password = (await readFile(security.elasticPasswordFile, 'utf8')).replace(/\r?\n$/, '');
    return { authorization: `Basic ${Buffer.from(`elastic:${password}`).toString('base64')}` };
  }

  private async writeConfig(home: string): Promise<void> {
    const distConfig = path.join(home, 'config');
    for (const file of await readdir(distConfig)) {
      const from = path.join(distConfig, file);
      if ((await stat(from)).isFile() && file !== 'elasticsearch.yml') await copyFile(from, path.join(this.configDir, file));
    }
    await mkdir(path.join(this.configDir, 'jvm.options.d'), { recursive: true });
    const { port, transportPort } = this;
    const { nodes, transportPorts } = this.config.elasticsearch;
    const names = transportPorts.map((_, i) => `segflow-node-${i + 1}`);
    const membership = nodes > 1
      ? [
        `# Node ${this.index + 1} of ${nodes}: every node master-eligible, found over the loopback transport ports.`,
        `discovery.seed_hosts: [${transportPorts.map((p) => `"127.0.0.1:${p}"`).join(', ')}]`,
        // Read only when the cluster forms for the first time; ignored once it has a state.
        `cluster.initial_master_nodes: [${names.map((n) => `"${n}"`).join(', ')}]`,
        // The small heaps of a local cluster would cap in-flight bulk bytes at ~50 MB (10 %): a
        // backlog replayed after a node is lost then meets 429s; a quarter of the heap takes it.
        'indexing_pressure.memory.limit: 25%',
      ]
      : ['discovery.type: single-node'];
    await writeFile(path.join(this.configDir, 'elasticsearch.yml'), [
      `# Generated by segflow services: ${nodes > 1 ? `a ${nodes}-node cluster` : 'single node'}, loopback only, security ${this.config.elasticsearch.security ? 'on over plain HTTP' : 'off'} (local use and tests).`,
      'cluster.name: segflow-local',
      `node.name: ${this.nodeName}`,
      ...membership,
      'network.host: 127.0.0.1',
      `http.port: ${port}`,
      `transport.port: ${transportPort}`,
      `path.data: ${path.join(this.dir, 'data')}`,
      `path.logs: ${path.join(this.dir, 'logs')}`,
      ...(this.config.elasticsearch.security
        ? [
          'xpack.security.enabled: true',
          // Loopback only, one node: users and roles matter here, not encryption.
          'xpack.security.http.ssl.enabled: false',
          'xpack.security.transport.ssl.enabled: false',
          'xpack.security.enrollment.enabled: false',
        ]
        : ['xpack.security.enabled: false']),
      // Test machines run with little free disk at times; never turn indices read-only for that.
      'cluster.routing.allocation.disk.threshold_enabled: false',
      'action.destructive_requires_name: true',
      '',
    ].join('\n'));
    // The server log is <path.logs>/<cluster.name>.log, i.e. logs/segflow-local.log (this.logFile).
    await writeFile(path.join(this.configDir, 'jvm.options.d', 'segflow.options'), '-XX:+UseG1GC\n');
  }

  async waitReady(deadline: number): Promise<void> {
    let lastError = 'no answer yet';
    let rejectedSince: number | undefined;
    while (Date.now() < deadline) {
      if ((await this.runningPid()) === undefined && (await readPidFile(this.pidFile)) !== undefined) {
        throw new ServiceStartError(this.name, 'the process exited', await tailFile(this.logFile), this.logFile);
      }
      try {
        // A cluster member is ready once every node has joined (this one included).
        const nodes = this.config.elasticsearch.nodes;
        const res = await fetch(`${this.url}/_cluster/health?wait_for_status=yellow${nodes > 1 ? `&wait_for_nodes=${nodes}` : ''}&timeout=2s`, { headers: await this.authorization(), signal: AbortSignal.timeout(5000) });
        const body = (await res.json()) as { status?: string; number_of_nodes?: number; timed_out?: boolean };
        // With security on, the first requests meet 401 until the security index's shard has
        // started; a password still rejected well after that is wrong, and waiting won't help.
        if (res.status === 401) {
          rejectedSince ??= Date.now();
          if (Date.now() - rejectedSince > 30_000) throw new ServiceStartError(this.name, `the elastic user's password was rejected (401) for 30 s at ${this.url}: the keystore's bootstrap password only applies until a password is set through the API`, await tailFile(this.logFile), this.logFile);
          lastError = 'the elastic user\'s password rejected (401) so far';
          await sleep(500);
          continue;
        }
        rejectedSince = undefined;
        if (res.ok && !body.timed_out && (body.status === 'yellow' || body.status === 'green')) return;
        lastError = `cluster health ${body.status ?? res.status}, ${body.number_of_nodes ?? '?'} of ${nodes} node(s)`;
      } catch (err) {
        if (err instanceof ServiceStartError) throw err;
        lastError = (err as Error).message;
      }
      await sleep(500);
    }
    throw new ServiceStartError(this.name, `cluster health not yellow/green at ${this.url} in time (${lastError})`, await tailFile(this.logFile), this.logFile);
  }

  async stop(): Promise<{ pid: number | undefined; outcome: 'terminated' | 'killed' | 'not-running' }> {
    const pid = await this.runningPid();
    if (pid === undefined) return { pid: await readPidFile(this.pidFile), outcome: 'not-running' };
    return { pid, outcome: await stopProcess(pid, 60_000) };
  }
}

/** Creates a system user without login or home when it does not exist yet. */
async function ensureSystemUser(user: string): Promise<void> {
  try {
    await runCommand('id', ['-u', user]);
  } catch {
    await runCommand('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
  }
}

/**
 * The unprivileged user must be able to walk down to its data folder. Checkouts in private
 * folders (mktemp -d gives 0700) would stop it, so grant search (x) permission to "other" on
 * each ancestor that lacks it; reading the folders' listings stays denied.
 */
async function ensureTraversable(dir: string): Promise<void> {
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const mode = (await stat(current)).mode;
    if ((mode & 0o001) === 0) await chmod(current, (mode & 0o7777) | 0o001);
    current = path.dirname(current);
  }
  await access(dir);
}

/** Runs a command with `input` on its stdin (a secret stays off argv); fails with its output. */
function runWithInput(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    child.once('error', (err) => reject(new Error(`${path.basename(command)} ${args[0]}: ${err.message}`)));
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} ${args[0]} exited with ${code}: ${output.trim().split('\n').slice(-10).join('\n')}`));
    });
    child.stdin.end(input);
  });
}
