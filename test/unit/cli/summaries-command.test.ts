/** `segflow summaries rebuild`'s time bounds: ISO times, now and now-<n><unit>; anything else named precisely. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRebuildTime } from '../../../src/cli/summaries-command.ts';

const NOW = Date.UTC(2026, 11, 2, 8, 0, 0);

describe('summaries rebuild: time bounds', () => {
  const good: [string, number][] = [
    ['now', NOW], ['now-90s', NOW - 90_000], ['now-5m', NOW - 300_000], ['now-2h', NOW - 7_200_000], ['now-7d', NOW - 7 * 86_400_000],
    ['2026-12-01T00:00:00Z', Date.UTC(2026, 11, 1)], ['2026-12-01', Date.UTC(2026, 11, 1)],
  ];
  for (const [text, ms] of good) it(`accepts ${text}`, () => assert.equal(parseRebuildTime('--from', text, NOW), ms));
  for (const text of ['yesterday', 'now-', 'now-5w', '12345', '', 'now+1h']) {
    it(`rejects ${JSON.stringify(text)} naming the option`, () => assert.throws(() => parseRebuildTime('--to', text, NOW), (err: Error) => err.message.startsWith('--to: expected an ISO 8601 time') && err.message.includes(JSON.stringify(text))));
  }
});
