/** One group member at a time: what the enricher does with what kafkajs reports about a consumer object. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumerReportAction, type ConsumerReport, type ConsumerReportAction } from '../../../src/enricher/consumer-succession.ts';

describe('consumerReportAction', () => {
  // [consumer retired (replaced by the enricher)?, report, expected]
  const table: Array<[boolean, ConsumerReport, ConsumerReportAction, string]> = [
    [false, { kind: 'joined' }, 'adopt', 'the current consumer joined: its partitions are the enricher\'s'],
    [false, { kind: 'crash', restart: true }, 'none', 'kafkajs restarts the current consumer itself (same object, one member)'],
    [false, { kind: 'crash', restart: false }, 'none', 'not restarted: the client reports it as fatal'],
    [true, { kind: 'crash', restart: true }, 'stop', 'a replaced consumer kafkajs is about to restart is stopped'],
    [true, { kind: 'crash', restart: false }, 'none', 'a replaced consumer that stays down'],
    [true, { kind: 'joined' }, 'stop', 'a replaced consumer that finished a join begun before it was replaced is stopped'],
  ];
  for (const [retired, report, expected, why] of table) {
    it(`${retired ? 'retired' : 'current'} + ${report.kind}${report.kind === 'crash' ? ` (restart ${report.restart})` : ''} → ${expected}: ${why}`, () => {
      assert.equal(consumerReportAction(report, { retired }), expected);
    });
  }
});
