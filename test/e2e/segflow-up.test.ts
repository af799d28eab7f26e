/**
 * `segflow up` as a user meets it: the demo inventory on its topic, synthetic traffic through
 * the collector, enrichment, and the API + web UI answering with allowed and denied flows of the
 * demo shop. Runs the same LocalStack the command runs, on the test run's Kafka and Elasticsearch.
 *
 * Then the command itself from a fresh start, as a terminal runs it: its own Kafka and
 * Elasticsearch (empty data folders, private ports), in a process group of its own that gets the
 * Ctrl-C (SIGINT to the whole group, as a terminal sends it): progress lines while the services
 * start, no error-level log line, and on Ctrl-C the roles stopped before the services, which
 * segflow itself stops (they must not die of the terminal's SIGINT: no ECONNREFUSED anywhere).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalStack } from '../../src/cli/local-stack.ts';
import { isPortListening } from '../../src/services/process-control.ts';
import { projectRoot } from '../../src/services/services-config.ts';
import { freePort } from '../harness/free-port.ts';
import { requireElasticsearchUrl, requireKafkaBrokers, uniqueName } from '../harness/service-env.ts';

describe('segflow up (demo shop)', { timeout: 240_000 }, () => {
  const stack = new LocalStack({ external: { kafkaBrokers: requireKafkaBrokers(), elasticsearchUrl: requireElasticsearchUrl() }, apiPort: 0, hostConntrack: 'off', demoRate: 40 });
  after(() => stack.stop());

  it('starts every role and serves demo flows, denied groups with explanations, and the web UI', async () => {
    const info = await stack.start();
    assert.equal(info.resources, 23);
    assert.equal(info.collectors.length, 1);
    const get = async (path: string) => {
      const res = await fetch(`${info.apiUrl}${path}`);
      return { status: res.status, body: (await res.text()) };
    };
    const deadline = Date.now() + 120_000;
    let flows: { flows?: unknown[] } = {};
    let denied: { groups?: Array<{ explanation: string; policy?: { name: string } }> } = {};
    while (Date.now() < deadline) {
      flows = JSON.parse((await get('/api/v1/flows?from=now-15m')).body) as typeof flows;
      denied = JSON.parse((await get('/api/v1/denied?from=now-15m')).body) as typeof denied;
      if ((flows.flows?.length ?? 0) > 0 && (denied.groups?.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.ok((flows.flows?.length ?? 0) > 0, 'demo flows are searchable');
    assert.ok((denied.groups?.length ?? 0) > 0, 'demo denies are grouped');
    const group = denied.groups![0]!;
    assert.ok(group.policy?.name, 'each denied group names the deciding policy');
    assert.match(group.explanation, /denied/);

    const explain = await fetch(`${info.apiUrl}/api/v1/explain`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ src: '10.244.1.10', dst: '10.244.2.10', protocol: 'tcp', dst_port: 5432 }),
    });
    assert.equal(explain.status, 200, await explain.clone().text());
    const verdict = (await explain.json()) as { verdict: string; egress: { trace: string[] } };
    assert.equal(verdict.verdict, 'deny', 'the API explains with the inventory from the topic');
    assert.deepEqual(verdict.egress.trace, ['0|platform|gnp:platform.allow-dns|pass|-1', '1|default|np:shop/default.frontend|deny|-1']);

    const page = await get('/');
    assert.equal(page.status, 200);
    assert.match(page.body, /<html/);
  });
});

/** pino's numeric levels: 50 error, 60 fatal. */
function errorLevelLines(output: string): string[] {
  return output.split('\n').filter((line) => {
    if (!line.startsWith('{')) return false;
    try {
      return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
    } catch {
      return false;
    }
  });
}

describe('segflow up (the command, fresh services, Ctrl-C)', { timeout: 900_000 }, () => {
  const run = uniqueName('up');
  const baseDir = path.join(projectRoot, '.local', 'test-up', run);
  let child: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  const ports: Record<string, number> = {};

  after(async () => {
    // Only if the test failed half-way: stop whatever is left the way a user would.
    if (child && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGINT');
      await new Promise((r) => child!.once('exit', r));
    }
    await rm(baseDir, { recursive: true, force: true });
  });

  it('prints progress while starting, logs no error line, and on Ctrl-C stops the roles, then the services it started', async (t) => {
    for (const name of ['kafka', 'controller', 'es', 'transport']) ports[name] = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SEGFLOW_SERVICES_DIR: path.join(baseDir, 'services'),
      SEGFLOW_KAFKA_PORT: String(ports.kafka), SEGFLOW_KAFKA_CONTROLLER_PORT: String(ports.controller),
      SEGFLOW_ES_PORT: String(ports.es), SEGFLOW_ES_TRANSPORT_PORT: String(ports.transport),
      // Smaller heaps than a user's default: the test shares its machine with the rest of the run.
      SEGFLOW_ES_HEAP: '1g', SEGFLOW_KAFKA_HEAP: '512m',
    };
    delete env.KAFKA_BROKERS;
    delete env.ELASTICSEARCH_URL;
    // detached: a process group of its own, the way a shell runs a foreground job.
    child = spawn(process.execPath, [path.join(projectRoot, 'bin/segflow.js'), 'up', '--api-port', '0', '--metrics-port', '0', '--host-conntrack', 'off', '--demo-rate', '20'], {
      cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const up = await Promise.race([
      new Promise<true>((resolve) => {
        const timer = setInterval(() => {
          if (/segflow is up/.test(stdout)) {
            clearInterval(timer);
            resolve(true);
          }
        }, 200);
        child!.once('exit', () => clearInterval(timer));
      }),
      exited.then((code) => assert.fail(`segflow up exited with ${code} before it was up:\n${stdout}\n${stderr.slice(-4000)}`)),
    ]);
    assert.equal(up, true);
    const startFigure = /segflow is up \(([\d.]+) s\)/.exec(stdout)?.[1];
    t.diagnostic(`fresh start: ${startFigure} s`);

    // Progress: a line per step, in order, before the summary.
    const startLines = stdout.slice(0, stdout.indexOf('segflow is up')).split('\n');
    const steps = [/^starting Kafka [\d.]+ and Elasticsearch/, /^ {2}Kafka: answering/, /^ {2}Elasticsearch: answering/, /^inventory: 23 resources published/, /^enricher: consuming/, /^collector: synthetic traffic/, /^API and web UI: listening at http/];
    const positions = steps.map((step) => startLines.findIndex((line) => step.test(line)));
    assert.ok(positions.every((p) => p >= 0), `every start step has its line; got:\n${startLines.join('\n')}`);
    // Kafka and Elasticsearch start side by side (either may answer first); the roles after both, in order.
    const [begin, kafka, es, ...roles] = positions as [number, number, number, ...number[]];
    assert.ok(kafka > begin && es > begin && roles[0]! > Math.max(kafka, es), `services answer before the roles start: ${positions.join(', ')}`);
    assert.ok(roles.every((p, i) => i === 0 || p > roles[i - 1]!), `role lines in start order: ${positions.join(', ')}`);
    assert.deepEqual(errorLevelLines(stderr), [], 'no error-level line during a normal start');

    const apiUrl = /API and web UI: listening at (\S+)/.exec(stdout)![1]!;
    assert.equal((await fetch(`${apiUrl}/healthz`)).status, 200, 'the API answers');

    // Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group.
    const stderrAtStop = stderr.length;
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`segflow up did not exit within 180 s of Ctrl-C:\n${stdout.slice(-2000)}`)), 180_000))]);
    assert.equal(code, 0, `segflow up exits 0 on Ctrl-C:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`);

    const stopLines = stdout.slice(stdout.indexOf('stopping: roles first')).split('\n');
    const order = ['stopped: collector', 'stopped: API and web UI', 'stopped: enricher', 'stopping Kafka and Elasticsearch'].map((l) => stopLines.findIndex((line) => line.startsWith(l)));
    assert.ok(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]!)), `roles stop before the services, in order; got:\n${stopLines.join('\n')}`);
    const servicesAt = order[3]!;
    // Stopped by segflow (terminated), not found dead (not-running) after the terminal's SIGINT.
    for (const service of ['Kafka', 'Elasticsearch']) {
      const at = stopLines.findIndex((line) => line === `stopped: ${service} (terminated)`);
      assert.ok(at > servicesAt, `${service} is stopped by segflow after the roles; got:\n${stopLines.join('\n')}`);
    }
    assert.ok(stopLines.includes('segflow stopped'));
    assert.doesNotMatch(stdout + stderr, /ECONNREFUSED/, 'no role ever finds a service gone');
    assert.deepEqual(errorLevelLines(stderr.slice(stderrAtStop)), [], 'no error-level line while stopping');
    for (const port of [ports.kafka!, ports.es!]) assert.equal(await isPortListening(port), false, `nothing listens on :${port} after the stop`);
  });
});
