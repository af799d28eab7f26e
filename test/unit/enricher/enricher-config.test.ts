/** The enricher's config resolver: defaults filled in, nested aggregation merged, every bad option named at once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ENRICHER_CONFIG, resolveEnricherConfig } from '../../../src/enricher/enricher-config.ts';
import { DEFAULT_AGGREGATION } from '../../../src/enricher/transform/flow-aggregation.ts';

describe('resolveEnricherConfig', () => {
  it('fills in the defaults; undefined keeps the default', () => {
    const config = resolveEnricherConfig({ groupId: 'g1', metricsPort: 0, maxRecordAgeMs: undefined, rawTopic: undefined });
    assert.equal(config.groupId, 'g1');
    assert.equal(config.metricsPort, 0);
    assert.equal(config.rawTopic, DEFAULT_ENRICHER_CONFIG.rawTopic);
    assert.equal(config.maxRecordAgeMs, undefined);
    assert.deepEqual(config.aggregation, DEFAULT_AGGREGATION);
  });

  it('merges a partial aggregation over the default one', () => {
    const config = resolveEnricherConfig({ aggregation: { windowMs: 2000, allowedLevel: 0 } });
    assert.deepEqual(config.aggregation, { ...DEFAULT_AGGREGATION, windowMs: 2000, allowedLevel: 0 });
  });

  it('names every bad option in one error', () => {
    assert.throws(() => resolveEnricherConfig({ brokers: ' ', bulkConcurrency: 0, metricsPort: 70000, rawTopicPartitions: 1.5, maxLinkBitsPerSecond: -1 }), (error: Error) => {
      for (const part of ['brokers is empty', 'bulkConcurrency must be an integer of at least 1, got 0', 'metricsPort must be an integer within 0..65535, got 70000', 'rawTopicPartitions must be an integer of at least 1, got 1.5', 'maxLinkBitsPerSecond must be a positive number, got -1']) {
        assert.ok(error.message.includes(part), `${error.message} names: ${part}`);
      }
      return true;
    });
  });
});
