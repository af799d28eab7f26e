/**
 * Kafka's ZSTD compression for kafkajs, which ships none (it leaves the codec to a plugin), done
 * with Node's own zlib. The agents compress their flow batches with it: a 473 KB batch takes
 * ~0.9 ms of CPU and 32 KB, against gzip level 1's ~1.5 ms and 49 KB. Every process that builds
 * its clients through kafka-client.ts registers it, so every segflow consumer reads it; other
 * Kafka clients (the console tools, librdkafka, Java) read zstd natively since Kafka 2.1.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs from 'kafkajs';

// Default import: Node's CommonJS export detection does not see kafkajs's CompressionCodecs.
const { CompressionCodecs, CompressionTypes } = kafkajs;

const compress = promisify(zlib.zstdCompress);
const decompress = promisify(zlib.zstdDecompress);

/** Level 1: the fastest; on flow batches level 3 (zstd's default) is no smaller (32.3 against 32.0 KB). */
export const KAFKA_ZSTD_LEVEL = 1;
/**
 * Largest record set a zstd batch may inflate to. A Kafka message is ~1 MiB at most (the
 * brokers' default), which a real record set does not inflate past a few tens of MB; a batch
 * claiming more is refused instead of filling the consumer's memory.
 */
export const KAFKA_ZSTD_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const COMPRESS_OPTIONS = { params: { [zlib.constants.ZSTD_c_compressionLevel]: KAFKA_ZSTD_LEVEL } };
const DECOMPRESS_OPTIONS = { maxOutputLength: KAFKA_ZSTD_MAX_INFLATED_BYTES };

/** The codec: kafkajs hands `compress` its encoder (whose `buffer` is the record set). */
export const kafkaZstdCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return compress(encoder.buffer, COMPRESS_OPTIONS);
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return decompress(buffer, DECOMPRESS_OPTIONS);
  },
};

/** Registers the codec with kafkajs (process-wide, idempotent). */
export function registerKafkaZstdCodec(): void {
  (CompressionCodecs as Record<number, () => unknown>)[CompressionTypes.ZSTD] = () => kafkaZstdCodec;
}
