/** The enricher's Elasticsearch outage state: one beginning, a capped doubling probe schedule, one end. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ElasticsearchOutage } from '../../../src/enricher/elasticsearch-outage.ts';

describe('ElasticsearchOutage', () => {
  it('begins once, backs off doubling up to the cap, and ends when a batch settles', () => {
    const o = new ElasticsearchOutage({ initialMs: 250, maxMs: 3000 });
    assert.equal(o.settled(1000), undefined, 'no outage, nothing to end');
    assert.equal(o.failed(10_000), true, 'the first failure begins the outage (log it)');
    assert.equal(o.failed(10_500), false, 'later failures belong to it (no new line)');
    assert.deepEqual(Array.from({ length: 7 }, () => o.nextProbeDelayMs()), [250, 500, 1000, 2000, 3000, 3000, 3000]);
    assert.equal(o.since, 10_000);
    assert.deepEqual(o.settled(70_000), { sinceMs: 10_000, durationMs: 60_000, probes: 7, retries: 1 });
    assert.equal(o.active, false);
    // The next outage starts its backoff afresh.
    assert.equal(o.failed(80_000), true);
    assert.equal(o.nextProbeDelayMs(), 250);
  });

  it('refuses a schedule that cannot work', () => {
    assert.throws(() => new ElasticsearchOutage({ initialMs: 0 }), /0 < initialMs <= maxMs/);
    assert.throws(() => new ElasticsearchOutage({ initialMs: 5000, maxMs: 1000 }), /0 < initialMs <= maxMs/);
  });
});
