/**
 * `segflow up` as a user meets it: the demo inventory on its topic, synthetic traffic through
 * the collector, enrichment, and the API + web UI answering with allowed and denied flows of the
 * demo shop. Runs the same LocalStack the command runs, on the test run's Kafka and Elasticsearch.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LocalStack } from '../../src/cli/local-stack.ts';
import { requireElasticsearchUrl, requireKafkaBrokers } from '../harness/service-env.ts';

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
