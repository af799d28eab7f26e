/**
 * Configuration of the node agent (`segflow collect`), with defaults. Every option is
 * documented here; the CLI maps its flags onto {@link CollectorConfigInput}.
 */
import os from 'node:os';
import path from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { PLAINTEXT, type KafkaSecurity } from '../runtime/kafka-security.ts';
import { DEFAULT_SPOOL_LOCK_STALE_MS } from './sinks/spool-lock.ts';
import { CONNTRACK_READER_KINDS, type ConntrackReaderKind } from './sources/conntrack/conntrack-reader-kind.ts';

/**
 * Flow sources the agent can run: the node's conntrack table, the eBPF probe (flow accounting on
 * workload interfaces and netfilter drops; merged with conntrack when both run), and synthetic
 * traffic derived from an inventory (demos and load).
 */
export type CollectorSourceName = 'conntrack' | 'ebpf' | 'synthetic';

/** Complete collector configuration (see {@link resolveCollectorConfig} for the defaults). */
export interface CollectorConfig {
  /** Node name: written into every record and used as the Kafka message key. Default: the host name. */
  nodeName: string;
  /** Agent identity in every batch (sequence numbers are per agent and boot). Default: the node name. */
  agentId: string;
  /** Sources to run. Default: `['conntrack']`. */
  sources: CollectorSourceName[];
  conntrack: {
    /** Table snapshot interval, ms: how often long-lived flows report their deltas. Default 10 000. */
    snapshotIntervalMs: number;
    /**
     * Netlink reader: most snapshots look up only the entries still open (a refresh), and the
     * whole table is listed at start, after lost events and at least this often, ms. Default
     * 300 000. (The `cli` reader lists the table every snapshot.)
     */
    resyncIntervalMs: number;
    /**
     * How conntrack is read: `netlink` (segflow-conntrack-reader, binary records from ctnetlink;
     * counts events the kernel dropped) or `cli` (the `conntrack` tool's text). Default `netlink`.
     */
    reader: ConntrackReaderKind;
    /** A prebuilt segflow-conntrack-reader (`netlink`). Default: built on demand into `.local/conntrack-reader`. */
    readerPath?: string;
    /** The `conntrack` executable (`cli`). Default `conntrack` (from PATH). */
    conntrackPath: string;
    /** Command prefix to reach another network namespace, e.g. `['ip','netns','exec','node1']`. Default none. */
    commandPrefix: string[];
    /** Turn on `nf_conntrack_acct` and `nf_conntrack_timestamp` when off (needs CAP_NET_ADMIN). Default false. */
    enableSysctls: boolean;
    /** Netlink buffer of the event socket, bytes. Default 8 MiB. */
    eventBufferBytes: number;
  };
  ebpf: {
    /** Host-side workload interfaces to attach to. Default none. */
    interfaces: string[];
    /** Attach to every interface with one of these name prefixes (`cali`, `veth`), rescanned every interval. Default none. */
    interfacePrefixes: string[];
    /** A prebuilt loader. Default: built on demand into `.local/ebpf`. */
    loaderPath?: string;
  };
  synthetic: {
    /** Inventory files or directories the traffic is derived from (required for the synthetic source). */
    resourcePaths: string[];
    /** Mean new connections per second. Default 20. */
    connectionsPerSecond: number;
    /** Share of connections the policies deny, 0..1. Default 0.1. */
    denyShare: number;
    /** Seed (same seed and inventory, same traffic). Default random. */
    seed?: number;
  };
  batch: {
    /**
     * Records per batch at most. Default 5000 (~470 KB IPv4, ~650 KB IPv6 encoded, under
     * `maxBytes`): at 10,000 flows/s each Kafka request, gzip stream and ledger write is shared
     * by 2.5 times more records than at 2000, a measured ~20 % of the agent's CPU. A batch still
     * closes `maxDelayMs` after its first record, so latency is unchanged.
     */
    maxRecords: number;
    /** Longest a record waits for its batch to close, ms. Default 1000. */
    maxDelayMs: number;
    /** Largest encoded batch, bytes (Kafka's default message limit is ~1 MiB). Default 900 000. */
    maxBytes: number;
    /** An empty batch (heartbeat) after this long without a batch, ms; 0 = none. Default 30 000. */
    heartbeatMs: number;
  };
  kafka: {
    /** Bootstrap brokers, `host:port`. Required. */
    brokers: string[];
    /** Topic for raw flow batches. Default `flows.raw`. */
    topic: string;
    /** Kafka client id. Default `segflow-collector-<node>`. */
    clientId: string;
    /** Bound on one send (connect + produce + acks), ms; past it the batch is spooled. Default 10 000. */
    sendTimeoutMs: number;
    /** Create the topic if missing. Default true. */
    ensureTopic: boolean;
    /** Partitions of a topic the collector creates. Default 6. */
    topicPartitions: number;
    /** Extra kafkajs client settings (socketFactory, timeouts, ...). Default none. */
    clientOverrides: Partial<KafkaConfig>;
  };
  /** TLS / mutual TLS / SASL to Kafka. Default PLAINTEXT. */
  kafkaSecurity: KafkaSecurity;
  spool: {
    /** Spool directory (one collector per directory). Default `<tmpdir>/segflow-collector-spool-<agent>`. */
    directory: string;
    /** Disk cap of the spool, bytes; the oldest batches are dropped (and counted) beyond it. Default 256 MiB. */
    maxBytes: number;
    /** Segment file size, bytes. Default 8 MiB (at most maxBytes / 4). */
    segmentBytes: number;
    /** fsync each spooled batch. Default true. */
    fsync: boolean;
    /**
     * Lease of the spool directory's lock, ms. Default 15 000: a collector that died without
     * closing its spool holds the directory this long after its last refresh.
     */
    lockStaleMs: number;
  };
  /** Health/metrics HTTP endpoint; `null` disables it. Default `0.0.0.0:9465`. */
  http: { host: string; port: number } | null;
}

/** Partial configuration: every field optional except the Kafka brokers. */
export interface CollectorConfigInput {
  nodeName?: string;
  agentId?: string;
  sources?: CollectorSourceName[];
  conntrack?: Partial<CollectorConfig['conntrack']>;
  ebpf?: Partial<CollectorConfig['ebpf']>;
  synthetic?: Partial<CollectorConfig['synthetic']>;
  batch?: Partial<CollectorConfig['batch']>;
  kafka: Partial<CollectorConfig['kafka']> & { brokers: string[] };
  kafkaSecurity?: KafkaSecurity;
  spool?: Partial<CollectorConfig['spool']>;
  http?: Partial<NonNullable<CollectorConfig['http']>> | null;
}

/** Default health/metrics port. */
export const DEFAULT_COLLECTOR_HTTP_PORT = 9465;

/** Default largest encoded batch, bytes (under Kafka's 1 MiB default message limit). */
export const DEFAULT_BATCH_MAX_BYTES = 900_000;

/**
 * Smallest spool for a largest batch of `batchMaxBytes`: the spool keeps four segments
 * (segmentBytes = maxBytes / 4 unless given), and one segment must hold the largest batch with
 * its 12-byte entry header. With the default batch limit: 3,600,048 bytes (~3.6 MB).
 */
export function minimumSpoolBytes(batchMaxBytes = DEFAULT_BATCH_MAX_BYTES): number {
  return 4 * (batchMaxBytes + 12);
}

/** Fills in the defaults and checks the values; throws with the name of the bad option. */
export function resolveCollectorConfig(input: CollectorConfigInput): CollectorConfig {
  const nodeName = input.nodeName ?? os.hostname();
  const agentId = input.agentId ?? nodeName;
  const spoolMax = input.spool?.maxBytes ?? 256 * 1024 * 1024;
  const config: CollectorConfig = {
    nodeName,
    agentId,
    sources: input.sources ?? ['conntrack'],
    conntrack: {
      snapshotIntervalMs: 10_000,
      resyncIntervalMs: 300_000,
      reader: 'netlink',
      conntrackPath: 'conntrack',
      commandPrefix: [],
      enableSysctls: false,
      eventBufferBytes: 8 * 1024 * 1024,
      ...input.conntrack,
    },
    ebpf: { interfaces: [], interfacePrefixes: [], ...input.ebpf },
    synthetic: { resourcePaths: [], connectionsPerSecond: 20, denyShare: 0.1, ...input.synthetic },
    batch: { maxRecords: 5000, maxDelayMs: 1000, maxBytes: DEFAULT_BATCH_MAX_BYTES, heartbeatMs: 30_000, ...input.batch },
    kafka: {
      topic: 'flows.raw',
      clientId: `segflow-collector-${nodeName}`,
      sendTimeoutMs: 10_000,
      ensureTopic: true,
      topicPartitions: 6,
      clientOverrides: {},
      ...input.kafka,
    },
    kafkaSecurity: input.kafkaSecurity ?? PLAINTEXT,
    spool: {
      directory: path.join(os.tmpdir(), `segflow-collector-spool-${agentId.replace(/[^A-Za-z0-9._-]/g, '_')}`),
      segmentBytes: Math.min(8 * 1024 * 1024, Math.floor(spoolMax / 4)),
      fsync: true,
      lockStaleMs: DEFAULT_SPOOL_LOCK_STALE_MS,
      ...input.spool,
      maxBytes: spoolMax,
    },
    http: input.http === null ? null : { host: '0.0.0.0', port: DEFAULT_COLLECTOR_HTTP_PORT, ...input.http },
  };
  const positive: Array<[string, number]> = [
    ['conntrack.snapshotIntervalMs', config.conntrack.snapshotIntervalMs],
    ['conntrack.resyncIntervalMs', config.conntrack.resyncIntervalMs],
    ['conntrack.eventBufferBytes', config.conntrack.eventBufferBytes],
    ['batch.maxRecords', config.batch.maxRecords],
    ['batch.maxDelayMs', config.batch.maxDelayMs],
    ['batch.maxBytes', config.batch.maxBytes],
    ['kafka.sendTimeoutMs', config.kafka.sendTimeoutMs],
    ['kafka.topicPartitions', config.kafka.topicPartitions],
    ['spool.maxBytes', config.spool.maxBytes],
    ['spool.segmentBytes', config.spool.segmentBytes],
    ['spool.lockStaleMs', config.spool.lockStaleMs],
  ];
  for (const [name, value] of positive) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`collector option ${name} must be a positive number, got ${value}`);
  }
  if (!Number.isSafeInteger(config.batch.heartbeatMs) || config.batch.heartbeatMs < 0) throw new Error(`collector option batch.heartbeatMs must be an integer >= 0 (0 = no heartbeats), got ${config.batch.heartbeatMs}`);
  if (!config.nodeName) throw new Error('collector option nodeName is empty');
  if (!CONNTRACK_READER_KINDS.includes(config.conntrack.reader)) throw new Error(`collector option conntrack.reader must be one of ${CONNTRACK_READER_KINDS.join(', ')}, got ${JSON.stringify(config.conntrack.reader)}`);
  if (config.sources.includes('synthetic') && config.synthetic.resourcePaths.length === 0) {
    throw new Error('the synthetic source needs inventory resources to derive traffic from (--resources PATH...)');
  }
  if (!(config.synthetic.denyShare >= 0 && config.synthetic.denyShare <= 1)) throw new Error(`collector option synthetic.denyShare must be within 0..1, got ${config.synthetic.denyShare}`);
  if (!(config.synthetic.connectionsPerSecond > 0)) throw new Error(`collector option synthetic.connectionsPerSecond must be positive, got ${config.synthetic.connectionsPerSecond}`);
  if (config.kafka.brokers.length === 0) throw new Error('collector option kafka.brokers is empty');
  if (config.spool.segmentBytes > config.spool.maxBytes) throw new Error('collector option spool.segmentBytes exceeds spool.maxBytes');
  if (config.batch.maxBytes + 12 > config.spool.segmentBytes) {
    if (input.spool?.segmentBytes === undefined) {
      const floor = minimumSpoolBytes(config.batch.maxBytes);
      throw new Error(`collector option spool.maxBytes (--spool-max-bytes ${config.spool.maxBytes}) is below its floor of ${floor} bytes: the spool is four segments and one segment must hold the largest batch (batch.maxBytes ${config.batch.maxBytes} + 12 bytes of header)`);
    }
    throw new Error(`collector option batch.maxBytes (${config.batch.maxBytes}) must fit in a spool segment (spool.segmentBytes ${config.spool.segmentBytes})`);
  }
  return config;
}
