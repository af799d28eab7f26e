/**
 * `segflow collect`: runs the node agent until SIGINT/SIGTERM.
 *
 *   segflow collect --brokers 127.0.0.1:9092 --node-name node1 --source conntrack
 *   segflow collect --brokers kafka:9092 --netns node1 --enable-conntrack-sysctls --http-port 9465
 *   segflow collect --brokers kafka:9092 --conntrack-reader cli   (the conntrack tool instead of the netlink reader)
 *   segflow collect --config collector.yaml   (TLS/SASL to Kafka: --kafka-ca-file, --kafka-sasl-*, see --help)
 */
import { Option, type Command } from 'commander';
import { parseBrokerList } from '../runtime/kafka-client.ts';
import { createLogger } from '../runtime/logger.ts';
import { addKafkaConnectionOptions } from '../runtime/role-config/kafka-connection-options.ts';
import { addRoleConfigOptions, roleAction } from '../runtime/role-config/role-command.ts';
import { exitCodeFor, untilStopped } from '../runtime/role-config/run-until-stopped.ts';
import { applyAgentHeapGrowth } from './agent-heap-growth.ts';
import { Collector } from './collector.ts';
import { DEFAULT_COLLECTOR_HTTP_PORT, minimumSpoolBytes, type CollectorConfigInput, type CollectorSourceName } from './collector-config.ts';
import { CONNTRACK_READER_KINDS, type ConntrackReaderKind } from './sources/conntrack/conntrack-reader-kind.ts';

interface CollectOptions {
  brokers?: string;
  nodeName?: string;
  agentId?: string;
  source: CollectorSourceName[];
  topic: string;
  snapshotInterval: string;
  conntrackResyncInterval: string;
  netns?: string;
  conntrackPath: string;
  conntrackReader: ConntrackReaderKind;
  conntrackReaderPath?: string;
  enableConntrackSysctls?: boolean;
  batchMaxRecords: string;
  batchMaxDelay: string;
  heartbeatInterval: string;
  spoolDir?: string;
  spoolMaxBytes: string;
  httpHost: string;
  httpPort: string;
  http: boolean;
  ebpfIface?: string[];
  ebpfIfacePrefix?: string[];
  resources?: string[];
  syntheticRate: string;
  syntheticDenyShare: string;
  syntheticSeed?: string;
}

const integer = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
};

/** Maps the command's options onto the collector configuration. */
export function collectOptionsToConfig(options: CollectOptions): CollectorConfigInput {
  return {
    ...(options.nodeName ? { nodeName: options.nodeName } : {}),
    ...(options.agentId ? { agentId: options.agentId } : {}),
    sources: options.source,
    conntrack: {
      snapshotIntervalMs: integer('snapshot-interval', options.snapshotInterval) * 1000,
      resyncIntervalMs: integer('conntrack-resync-interval', options.conntrackResyncInterval) * 1000,
      conntrackPath: options.conntrackPath,
      reader: options.conntrackReader,
      ...(options.conntrackReaderPath ? { readerPath: options.conntrackReaderPath } : {}),
      commandPrefix: options.netns ? ['ip', 'netns', 'exec', options.netns] : [],
      enableSysctls: options.enableConntrackSysctls ?? false,
    },
    ebpf: { interfaces: options.ebpfIface ?? [], interfacePrefixes: options.ebpfIfacePrefix ?? [] },
    synthetic: {
      resourcePaths: options.resources ?? [],
      connectionsPerSecond: Number(options.syntheticRate),
      denyShare: Number(options.syntheticDenyShare),
      ...(options.syntheticSeed !== undefined ? { seed: integer('synthetic-seed', options.syntheticSeed) } : {}),
    },
    batch: { maxRecords: integer('batch-max-records', options.batchMaxRecords), maxDelayMs: integer('batch-max-delay', options.batchMaxDelay), heartbeatMs: integer('heartbeat-interval', options.heartbeatInterval) },
    kafka: { brokers: parseBrokerList(options.brokers ?? ''), topic: options.topic },
    spool: { ...(options.spoolDir ? { directory: options.spoolDir } : {}), maxBytes: integer('spool-max-bytes', options.spoolMaxBytes) },
    http: options.http ? { host: options.httpHost, port: integer('http-port', options.httpPort) } : null,
  };
}

/** Adds `segflow collect` to the program. */
export function registerCollectCommand(program: Command): void {
  const command = program
    .command('collect')
    .description('run the node agent: read flows (conntrack, eBPF, or synthetic), batch them, publish to Kafka (spooling to disk while Kafka is down)')
    // Required, but checked after the config file is read (it may hold the brokers).
    .addOption(new Option('--brokers <list>', 'Kafka bootstrap brokers, host:port[,host:port...] (required)').env('KAFKA_BROKERS'));
  addKafkaConnectionOptions(command);
  addRoleConfigOptions(command)
    .option('--node-name <name>', 'node name for records and the message key (default: host name)')
    .option('--agent-id <id>', 'agent identity for sequence numbers (default: node name)')
    .addOption(new Option('--source <name...>', 'flow sources to run (conntrack and ebpf run merged)').choices(['conntrack', 'ebpf', 'synthetic']).default(['conntrack']))
    .option('--ebpf-iface <name...>', 'eBPF: host-side workload interfaces to attach to')
    .option('--ebpf-iface-prefix <prefix...>', 'eBPF: attach to every interface with this name prefix (e.g. cali), rescanned')
    .option('--resources <paths...>', 'synthetic: inventory files or directories to derive traffic from')
    .option('--synthetic-rate <n>', 'synthetic: new connections per second', '20')
    .option('--synthetic-deny-share <fraction>', 'synthetic: share of connections the policies deny (0..1)', '0.1')
    .option('--synthetic-seed <n>', 'synthetic: seed for repeatable traffic')
    .option('--topic <name>', 'Kafka topic for raw flow batches', 'flows.raw')
    .option('--snapshot-interval <seconds>', 'conntrack table snapshot interval (report interval of long-lived flows)', '10')
    .option('--conntrack-resync-interval <seconds>', 'netlink reader: list the whole conntrack table at least this often; other snapshots look up only the connections still open', '300')
    .option('--netns <name>', 'watch the conntrack table of this named network namespace (runs conntrack through ip netns exec)')
    .addOption(
      new Option('--conntrack-reader <kind>', 'how conntrack is read: netlink (segflow-conntrack-reader: binary records straight from the kernel, built on demand; counts events the kernel dropped) or cli (the conntrack tool, text; several times the CPU)')
        .choices([...CONNTRACK_READER_KINDS])
        .default('netlink')
        .env('SEGFLOW_CONNTRACK_READER'),
    )
    .addOption(new Option('--conntrack-reader-path <path>', 'a prebuilt segflow-conntrack-reader (default: built into .local/conntrack-reader)').env('SEGFLOW_CONNTRACK_READER_PATH'))
    .option('--conntrack-path <path>', 'the conntrack executable (--conntrack-reader cli)', 'conntrack')
    .option('--enable-conntrack-sysctls', 'turn on net.netfilter.nf_conntrack_acct and nf_conntrack_timestamp if they are off')
    .option('--batch-max-records <n>', 'records per batch at most', '5000')
    .option('--batch-max-delay <ms>', 'longest a record waits for its batch, ms', '1000')
    .option('--heartbeat-interval <ms>', 'send an empty batch (heartbeat, carrying the loss report) after this long without one, so an idle node is not taken for a silent one; 0 = never', '30000')
    .option('--spool-dir <path>', 'disk spool directory for when Kafka is unreachable (default: under the temp dir)')
    .option('--spool-max-bytes <n>', `disk spool cap in bytes, at least ${minimumSpoolBytes()} (four segments, each holding the largest batch); the oldest batches are dropped (and counted) beyond it`, String(256 * 1024 * 1024))
    .option('--http-host <host>', 'health/metrics endpoint address', '0.0.0.0')
    .option('--http-port <port>', 'health/metrics endpoint port (/healthz, /status, /metrics)', String(DEFAULT_COLLECTOR_HTTP_PORT))
    .option('--no-http', 'do not serve the health/metrics endpoint')
    .action(roleAction<CollectOptions>({ role: 'collect', kafka: true }, async (prepared, options) => {
      if (options.brokers === undefined) throw new Error('--brokers is required (or brokers: in the --config file, or env KAFKA_BROKERS)');
      applyAgentHeapGrowth();
      const logger = createLogger('collector');
      const collector = new Collector({ ...collectOptionsToConfig(options), kafkaSecurity: prepared.kafkaSecurity }, { logger });
      await collector.start();
      // A fatal Kafka failure (TLS, SASL, ACL) stops it too: the spool keeps what it holds for the next start.
      const stop = await untilStopped(collector.fatalKafkaFailure);
      if (stop.kind === 'signal') logger.info({ signal: stop.signal }, 'stopping');
      await collector.stop();
      exitCodeFor(stop);
    }));
}
