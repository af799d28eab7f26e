/**
 * The synthetic source as the collector runs it: loads the inventory, produces records on its
 * clock, reports open connections when stopped, and refuses an inventory it cannot use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '../../harness/wait-for.ts';
import { createSyntheticSource, type SyntheticFlowSourceStatus } from '../../../src/collector/sources/synthetic/synthetic-flow-source.ts';
import type { FlowRecordData } from '../../../src/contract/wire/flow-batch-codec.ts';

const T0 = Date.parse('2026-11-27T10:00:00Z');

/**
 * A test clock that counts its reads: the source reads it once per tick and hands that tick's
 * records over in the same turn, so "read after a change" means "the change was processed".
 */
function countingClock(start: number): { now: number; reads: number; read: () => number; processed: (what: string) => Promise<void> } {
  const clock = {
    now: start,
    reads: 0,
    read: () => {
      clock.reads++;
      return clock.now;
    },
    processed: async (what: string) => {
      const before = clock.reads;
      await waitFor(what, async () => (clock.reads > before ? true : undefined), 10_000, 1);
    },
  };
  return clock;
}

describe('SyntheticFlowSource', () => {
  it('produces synthetic records from the inventory on its clock and reports open connections on stop', async () => {
    const clock = countingClock(T0);
    const source = createSyntheticSource({ nodeName: 'node-7', resourcePaths: ['examples/shop'], connectionsPerSecond: 30, seed: 11, tickMs: 10, clock: clock.read });
    const received: FlowRecordData[][] = [];
    await source.start((records) => received.push(records));
    const started = source.status() as SyntheticFlowSourceStatus;
    assert.equal(started.running, true);
    assert.equal(started.seed, 11);
    assert.ok(started.routes && started.routes.allowed > 0 && started.routes.denied > 0 && started.routes.viaService > 0);

    // Forty seconds of traffic, handed over tick by tick.
    for (let i = 0; i < 40; i++) {
      clock.now += 1000;
      await clock.processed(`second ${i + 1} of traffic`);
    }
    await source.stop();
    const records = received.flat();
    assert.ok(received.length > 5, `${received.length} hand-overs`);
    assert.ok(records.length > 500, `${records.length} records`);
    assert.ok(records.every((r) => r.source === 'synthetic' && r.nodeName === 'node-7'));
    assert.ok(records.some((r) => r.dataplaneVerdict === 'deny') && records.some((r) => r.dataplaneVerdict === 'allow'));
    const last = records.at(-1)!;
    assert.ok(last.endTimeUnixNano <= BigInt(clock.now) * 1_000_000n, 'nothing reported past the clock');

    const stopped = source.status() as SyntheticFlowSourceStatus;
    assert.equal(stopped.running, false);
    assert.equal(stopped.traffic?.records, records.length, 'every record produced was handed over');

    // Stopped means stopped: the clock moving on produces nothing more. Nothing to await here
    // (the check is that nothing happens), so the source gets five of its ticks to misbehave.
    const count = records.length;
    const readsAtStop = clock.reads;
    clock.now += 60_000;
    await sleep(50);
    assert.equal(received.flat().length, count);
    assert.equal(clock.reads, readsAtStop, 'no tick ran after stop');
  });

  it('skips new arrivals for a stall longer than the catch-up limit instead of back-dating them', async () => {
    const clock = countingClock(T0);
    const source = createSyntheticSource({ nodeName: 'node-1', resourcePaths: ['examples/shop'], connectionsPerSecond: 50, seed: 2, tickMs: 10, clock: clock.read });
    const received: FlowRecordData[] = [];
    await source.start((records) => received.push(...records));
    clock.now += 3_600_000;
    await clock.processed('the tick that sees the hour-long stall');
    await source.stop();
    const status = source.status() as SyntheticFlowSourceStatus;
    assert.equal(status.stallsSkipped, 1);
    assert.ok(received.filter((r) => r.eventKind === 'new').length < 500, 'an hour of arrivals was not generated at once');
  });

  it('refuses to start without a usable inventory, naming the problem', async () => {
    await assert.rejects(createSyntheticSource({ nodeName: 'n', resourcePaths: ['does/not/exist.yaml'] }).start(() => undefined), /inventory has errors[\s\S]*does\/not\/exist\.yaml/);
    await assert.rejects(createSyntheticSource({ nodeName: 'n', resources: [] }).start(() => undefined), /no route to simulate/);
    await assert.rejects(createSyntheticSource({ nodeName: 'n' }).start(() => undefined), /no inventory given/);
  });
});
