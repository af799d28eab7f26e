import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { useFastGzipCodec } from '../../../src/collector/sinks/fast-gzip-codec.ts';

describe('the GZIP codec the collector registers with kafkajs', () => {
  const payload = Buffer.from(Array.from({ length: 4000 }, (_, i) => `10.244.${i % 7}.${i % 250}|${30000 + (i % 997)}|5432|`).join(''));

  it('replaces kafkajs GZIP with level 1: plain gzip any consumer reads, as level-1 zlib writes it', async () => {
    useFastGzipCodec();
    const { CompressionCodecs, CompressionTypes } = kafkajs;
    const codec = (CompressionCodecs as Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>)[CompressionTypes.GZIP]!();
    const compressed = await codec.compress({ buffer: payload });
    assert.deepEqual(gunzipSync(compressed), payload, 'a standard gunzip reads it');
    assert.deepEqual(compressed, gzipSync(payload, { level: 1 }), 'level 1');
    assert.notDeepEqual(compressed, gzipSync(payload), 'not the default level');
    assert.deepEqual(await codec.decompress(gzipSync(payload)), payload, 'reads any gzip level');
  });
});
