import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs from 'kafkajs';
// Importing the client module is what registers the codec in every role.
import '../../../src/runtime/kafka-client.ts';
import { KAFKA_ZSTD_LEVEL, KAFKA_ZSTD_MAX_INFLATED_BYTES } from '../../../src/runtime/kafka-zstd-codec.ts';

const zstdCompress = promisify(zlib.zstdCompress);

type Codec = { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> };

function registeredZstd(): Codec {
  const { CompressionCodecs, CompressionTypes } = kafkajs;
  const factory = (CompressionCodecs as Record<number, (() => Codec) | undefined>)[CompressionTypes.ZSTD];
  assert.ok(factory, 'kafkajs has a ZSTD codec once kafka-client.ts is loaded (it ships none)');
  return factory();
}

describe('the ZSTD codec every Kafka client of segflow registers', () => {
  const payload = Buffer.from(Array.from({ length: 4000 }, (_, i) => `10.244.${i % 7}.${i % 250}|${30000 + (i % 997)}|5432|`).join(''));

  it('writes a standard zstd frame at level 1, which zlib reads back', async () => {
    const compressed = await registeredZstd().compress({ buffer: payload });
    assert.deepEqual([...compressed.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], 'zstd magic number');
    assert.deepEqual(zlib.zstdDecompressSync(compressed), payload);
    // zstd records no level in the frame: compare with zlib's own output at each level.
    const atLevel = (level: number): Promise<Buffer> => zstdCompress(payload, { params: { [zlib.constants.ZSTD_c_compressionLevel]: level } });
    assert.equal(KAFKA_ZSTD_LEVEL, 1);
    assert.deepEqual(compressed, await atLevel(1), 'level 1');
    assert.notDeepEqual(compressed, await atLevel(3), 'not zstd\'s default level');
    assert.ok(compressed.length < payload.length / 5, `compresses (${compressed.length} of ${payload.length} bytes)`);
  });

  it('reads a frame written at any level', async () => {
    const strong = zlib.zstdCompressSync(payload, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 19 } });
    assert.deepEqual(await registeredZstd().decompress(strong), payload);
  });

  it('refuses a batch that would inflate past its cap instead of filling memory', async () => {
    const bomb = zlib.zstdCompressSync(Buffer.alloc(KAFKA_ZSTD_MAX_INFLATED_BYTES + 1024));
    assert.ok(bomb.length < 64 * 1024, `a small frame (${bomb.length} bytes)`);
    await assert.rejects(registeredZstd().decompress(bomb), /buffer|length|size/i);
  });
});
