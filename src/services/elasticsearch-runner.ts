/**
 * A single-node Elasticsearch from the Maven Central `integ-test-zip` distribution, security
 * off, loopback only. Elasticsearch refuses to run as root, so when segflow runs as root it
 * starts the server as an unprivileged user (created when missing) that owns the data folder.
 */
import { access, chmod, copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { selectJava } from './java-runtime.ts';
import type { LocalService, ServiceStatus, StartResult } from './local-service.ts';
import { ServiceStartError } from './local-service.ts';
import { resolveElasticsearchDistribution } from './maven-artifacts.ts';
import { isOwnedProcess, isPortListening, readPidFile, runCommand, sleep, stopProcess, tailFile } from './process-control.ts';
import type { ServicesConfig } from './services-config.ts';

export class LocalElasticsearch implements LocalService {
  readonly name = 'elasticsearch';
  private readonly dir: string;
  private readonly configDir: string;
  private readonly pidFile: string;
  readonly logFile: string;
  private readonly consoleLog: string;

  constructor(private readonly config: ServicesConfig) {
    this.dir = path.join(config.baseDir, 'elasticsearch');
    this.configDir = path.join(this.dir, 'config');
    this.pidFile = path.join(this.dir, 'run', 'elasticsearch.pid');
    this.logFile = path.join(this.dir, 'logs', 'segflow-local.log');
    this.consoleLog = path.join(config.baseDir, 'logs', 'elasticsearch-launcher.log');
  }

  get url(): string {
    return `http://127.0.0.1:${this.config.elasticsearch.port}`;
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
    const { port, transportPort, version, heap, runAsUser } = this.config.elasticsearch;
    for (const p of [port, transportPort]) {
      if (await isPortListening(p)) {
        throw new Error(`elasticsearch: port ${p} is already in use by a process segflow did not start; stop it or set SEGFLOW_ES_PORT / SEGFLOW_ES_TRANSPORT_PORT`);
      }
    }
    // Elasticsearch 8.19 runs on Java 17+; the newest JDK present is preferred (its bundled JDK is 24).
    const java = await selectJava('elasticsearch', this.config.elasticsearch.javaHome, 17, 'newest');
    const home = await resolveElasticsearchDistribution(path.join(this.config.artifactsDir, `elasticsearch-${version}`), version, this.config.mavenRepo);
    for (const sub of ['data', 'logs', 'run', 'config']) await mkdir(path.join(this.dir, sub), { recursive: true });
    await mkdir(path.dirname(this.consoleLog), { recursive: true });
    await this.writeConfig(home);

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ES_JAVA_HOME: java.home ?? path.dirname(path.dirname(java.executable)),
      ES_PATH_CONF: this.configDir,
      ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap} ${this.instanceMarker}`,
    };
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
      const output = await runCommand(command, args, { env: { ...process.env, ...env }, timeoutMs: this.config.startTimeoutMs });
      if (output.trim()) await writeFile(this.consoleLog, output, { flag: 'a' });
    } catch (err) {
      const launcherOutput = (err as Error).message.split('\n').slice(1).join('\n');
      throw new ServiceStartError(this.name, 'the launcher exited with an error', `${launcherOutput}\n${await tailFile(this.logFile)}`, this.logFile);
    }
    const pid = await readPidFile(this.pidFile);
    if (pid === undefined) throw new ServiceStartError(this.name, `no pid file at ${this.pidFile}`, await tailFile(this.logFile), this.logFile);
    return { pid, alreadyRunning: false };
  }

  private async writeConfig(home: string): Promise<void> {
    const distConfig = path.join(home, 'config');
    for (const file of await readdir(distConfig)) {
      const from = path.join(distConfig, file);
      if ((await stat(from)).isFile() && file !== 'elasticsearch.yml') await copyFile(from, path.join(this.configDir, file));
    }
    await mkdir(path.join(this.configDir, 'jvm.options.d'), { recursive: true });
    const { port, transportPort } = this.config.elasticsearch;
    await writeFile(path.join(this.configDir, 'elasticsearch.yml'), [
      '# Generated by segflow services: single node, loopback only, security off (local use and tests).',
      'cluster.name: segflow-local',
      'node.name: segflow-local',
      'discovery.type: single-node',
      'network.host: 127.0.0.1',
      `http.port: ${port}`,
      `transport.port: ${transportPort}`,
      `path.data: ${path.join(this.dir, 'data')}`,
      `path.logs: ${path.join(this.dir, 'logs')}`,
      'xpack.security.enabled: false',
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
    while (Date.now() < deadline) {
      if ((await this.runningPid()) === undefined && (await readPidFile(this.pidFile)) !== undefined) {
        throw new ServiceStartError(this.name, 'the process exited', await tailFile(this.logFile), this.logFile);
      }
      try {
        const res = await fetch(`${this.url}/_cluster/health?wait_for_status=yellow&timeout=2s`, { signal: AbortSignal.timeout(5000) });
        const body = (await res.json()) as { status?: string };
        if (res.ok && (body.status === 'yellow' || body.status === 'green')) return;
        lastError = `cluster health ${body.status ?? res.status}`;
      } catch (err) {
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
