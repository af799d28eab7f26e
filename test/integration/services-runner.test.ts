/**
 * The local service runner itself (`segflow services up|down|status`), on its own ports and data
 * folder beside whatever the test run uses: a fresh start formats Kafka storage and starts
 * Elasticsearch as the unprivileged user; `up` twice starts nothing new; Elasticsearch answers
 * `GET /` with its tagline; kafkajs lists topics; `down` leaves no process behind.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalServices } from '../../src/services/local-services.ts';
import { loadServicesConfig, projectRoot } from '../../src/services/services-config.ts';
import { createKafka } from '../../src/runtime/kafka-client.ts';
import { freePort } from '../harness/free-port.ts';

const dir = path.join(projectRoot, '.local', `runner-test-${process.pid}`);
// Free ports, not fixed ones: another run on the machine (or a bench's private services) may hold any fixed port.
const [kafkaPort, controllerPort, esPort, transportPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
const config = loadServicesConfig({
  ...process.env,
  SEGFLOW_SERVICES_DIR: dir,
  SEGFLOW_KAFKA_PORT: String(kafkaPort), SEGFLOW_KAFKA_CONTROLLER_PORT: String(controllerPort), SEGFLOW_ES_PORT: String(esPort), SEGFLOW_ES_TRANSPORT_PORT: String(transportPort),
  SEGFLOW_ES_HEAP: '512m', SEGFLOW_KAFKA_HEAP: '512m',
});

async function alive(pid: number): Promise<boolean> {
  try {
    await readFile(`/proc/${pid}/cmdline`);
    return true;
  } catch {
    return false;
  }
}

describe('local service runner', { timeout: 300_000 }, () => {
  const services = new LocalServices(config);
  after(async () => {
    await services.down();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts Kafka and Elasticsearch, refuses to start them twice, and stops exactly what it started', async () => {
    const first = await services.up();
    assert.equal(first.kafkaBrokers, `127.0.0.1:${kafkaPort}`);
    assert.equal(first.elasticsearchUrl, `http://127.0.0.1:${esPort}`);
    assert.ok(first.services.every((s) => s.running && !s.alreadyRunning && s.pid !== undefined));

    const root = (await (await fetch(`http://127.0.0.1:${esPort}/`)).json()) as { tagline?: string; version?: { number?: string } };
    assert.equal(root.tagline, 'You Know, for Search');
    assert.equal(root.version?.number, config.elasticsearch.version);
    const admin = createKafka(first.kafkaBrokers, 'runner-test').admin();
    await admin.connect();
    assert.ok(Array.isArray(await admin.listTopics()));
    await admin.disconnect();
    if (process.getuid?.() === 0) {
      const es = first.services.find((s) => s.name === 'elasticsearch')!;
      const status = await readFile(`/proc/${es.pid}/status`, 'utf8');
      assert.doesNotMatch(status, /^Uid:\s+0\s/m, 'Elasticsearch does not run as root');
    }

    const second = await services.up();
    assert.ok(second.services.every((s) => s.alreadyRunning), 'the second up starts nothing');
    assert.deepEqual(second.services.map((s) => s.pid), first.services.map((s) => s.pid));

    const stopped = await services.down();
    assert.deepEqual(stopped.map((s) => s.pid).sort(), first.services.map((s) => s.pid).sort(), 'down stops exactly the processes it started');
    assert.ok(stopped.every((s) => s.outcome === 'terminated' || s.outcome === 'killed'));
    for (const s of first.services) assert.equal(await alive(s.pid!), false, `${s.name} (pid ${s.pid}) is gone`);
    assert.ok((await services.status()).every((s) => !s.running));
  });
});
