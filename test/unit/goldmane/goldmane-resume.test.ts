import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_MARGIN_SECONDS, possibleLossSeconds, reconnectDelayMs, RESUME_OVERLAP_SECONDS, resumeStartTime } from '../../../src/goldmane/goldmane-resume.ts';

describe('Goldmane stream resume', () => {
  const now = 1_800_000_000;
  it('asks a fresh source for everything Goldmane holds, a little short of its retention', () => {
    assert.equal(resumeStartTime({ newestStart: undefined, newestEnd: undefined }, now, 3600), -(3600 - HISTORY_MARGIN_SECONDS));
  });
  it('resumes from a little before the newest start published', () => {
    assert.equal(resumeStartTime({ newestStart: now - 30, newestEnd: now - 15 }, now, 3600), -(30 + RESUME_OVERLAP_SECONDS));
    // Never more than Goldmane holds, never less than the overlap.
    assert.equal(resumeStartTime({ newestStart: now - 10_000, newestEnd: now - 9_985 }, now, 3600), -(3600 - HISTORY_MARGIN_SECONDS));
    assert.equal(resumeStartTime({ newestStart: now + 5, newestEnd: now + 20 }, now, 3600), -RESUME_OVERLAP_SECONDS);
  });
  it('reports a possible loss only when the source was away longer than the retention', () => {
    assert.deepEqual(possibleLossSeconds({ newestStart: undefined, newestEnd: undefined }, now, 3600), { seconds: 0 });
    assert.deepEqual(possibleLossSeconds({ newestStart: now - 3000, newestEnd: now - 2985 }, now, 3600), { seconds: 0 });
    assert.deepEqual(possibleLossSeconds({ newestStart: now - 5015, newestEnd: now - 5000 }, now, 3600), { seconds: 1400, from: now - 5000, to: now - 3600 });
  });
  it('backs off doubling, capped, with jitter', () => {
    assert.equal(reconnectDelayMs(1, 500, 30_000, () => 0.5), 500);
    assert.equal(reconnectDelayMs(3, 500, 30_000, () => 0.5), 2000);
    assert.equal(reconnectDelayMs(20, 500, 30_000, () => 0.5), 30_000);
    assert.equal(reconnectDelayMs(1, 1000, 30_000, () => 0), 800);
    assert.equal(reconnectDelayMs(1, 1000, 30_000, () => 1), 1200);
  });
});
