/**
 * The fault suite (bench/faults.ts), shortened for CI: a PRIVATE Kafka and Elasticsearch
 * (started here, on free ports, since the faults kill them — never the run's shared services),
 * the real roles as processes, exact ground truth from numbered records, and two faults: Kafka
 * SIGKILLed and restarted, Elasticsearch stopped (SIGSTOP) for 20 s. The same goals as the
 * bench: nothing lost that the system did not count and report, nothing duplicated, the
 * enricher indexing again within 5 s of the service answering, no manual action, and at most
 * one warn/error line from the enricher per outage.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runFaults, type FaultRow } from '../../bench/faults.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('faults: Kafka SIGKILL and Elasticsearch stopped, through the real pipeline', { timeout: 420_000 }, () => {
  it('loses nothing uncounted, duplicates nothing, and consumes again within 5 s', { timeout: 420_000 }, async () => {
    const rows: FaultRow[] = await runFaults({
      faults: ['kafka-kill', 'es-stop'], outageSeconds: 20, steadySeconds: 5, ratePerAgent: 40,
      servicesDir: path.join(root, '.local', 'faults-test-services'),
      log: (line) => process.stderr.write(`[faults] ${line}\n`),
    });
    assert.deepEqual(rows.map((r) => r.fault), ['kafka-kill', 'es-stop']);
    for (const row of rows) {
      const what = `${row.fault}: ${JSON.stringify({ sent: row.sent, indexed: row.indexed, lost: row.lost, lostCounted: row.lostCounted, duplicated: row.duplicated, recoverySeconds: row.recoverySeconds, enricherLogLines: row.enricherLogLines, manual: row.manualActionReasons })}`;
      assert.ok(row.sent > 1000, `${what}: traffic flowed`);
      assert.equal(row.lost, row.lostCounted, `${what}: every lost record was counted and reported`);
      assert.equal(row.lost, 0, `${what}: these faults lose nothing`);
      assert.equal(row.duplicated, 0, `${what}: nothing indexed twice`);
      assert.equal(row.manualActionNeeded, false, what);
      assert.ok(row.recoverySeconds !== null && row.recoverySeconds <= 5, `${what}: indexing again within 5 s of the service answering`);
      assert.ok(row.enricherLogLines.warn + row.enricherLogLines.error <= 1, `${what}: one log line per outage, not one per try`);
      assert.equal(row.enricherDuplicateBatches, row.kafkaDuplicateBatches, `${what}: duplicates counted are those Kafka holds (${row.kafkaDuplicateBatches}), not the enricher's own retries`);
    }
    const esStop = rows.find((r) => r.fault === 'es-stop')!;
    assert.ok((esStop.lagDuringOutage ?? 0) > 0, `the lag gauge grew while Elasticsearch was stopped (${esStop.lagDuringOutage})`);
  });
});
