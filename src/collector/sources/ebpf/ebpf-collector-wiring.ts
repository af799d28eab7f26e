/**
 * How the collector adds the eBPF source to the sources it built: one call, so the wiring in
 * collector.ts stays one line.
 *
 * ```ts
 * this.sources = this.dependencies.sources ?? withEbpfSource(this.createSources(), this.config.nodeName, this.config.ebpf, { metrics: this.metrics, logger: this.logger });
 * ```
 *
 * - no eBPF config (or `enabled: false`) → the sources unchanged;
 * - a `conntrack` source among them → it is replaced by one {@link MergedFlowSource} of
 *   conntrack + eBPF (conntrack wins the accounting of tracked flows, eBPF adds drops and
 *   untracked flows);
 * - no conntrack source → the eBPF source is added on its own.
 */
import type { Logger } from '../../../runtime/logger.ts';
import type { CollectorMetrics } from '../../collector-metrics.ts';
import type { FlowSource } from '../flow-source.ts';
import { EbpfFlowSource } from './ebpf-source.ts';
import { MergedFlowSource } from './merged-flow-source.ts';

/** The collector's eBPF settings (a section of the collector config). */
export interface EbpfCollectorConfig {
  /** Run the eBPF source. */
  enabled: boolean;
  /** Host-side workload interfaces to attach to. */
  interfaces: string[];
  /** Attach to every interface with one of these name prefixes (e.g. `cali`, `veth`), rescanned every interval. */
  interfacePrefixes: string[];
  /** Report interval, ms (default: 10 000, like the conntrack snapshots). */
  reportIntervalMs?: number;
  /** Prefix to run the loader in another namespace, e.g. `['ip','netns','exec','node1']` (same as conntrack's). */
  commandPrefix?: string[];
  /** A prebuilt loader (default: built on demand into `.local/ebpf`). */
  loaderPath?: string;
}

/** See the module comment. */
export function withEbpfSource(
  sources: FlowSource[],
  nodeName: string,
  config: EbpfCollectorConfig | null | undefined,
  deps: { metrics: CollectorMetrics; logger: Logger },
): FlowSource[] {
  if (!config?.enabled) return sources;
  const ebpf = new EbpfFlowSource({
    nodeName,
    interfaces: config.interfaces,
    interfacePrefixes: config.interfacePrefixes,
    ...(config.reportIntervalMs ? { reportIntervalMs: config.reportIntervalMs } : {}),
    ...(config.commandPrefix ? { commandPrefix: config.commandPrefix } : {}),
    ...(config.loaderPath ? { loaderPath: config.loaderPath } : {}),
    metrics: deps.metrics,
    logger: deps.logger,
  });
  const i = sources.findIndex((s) => s.name === 'conntrack');
  if (i < 0) return [...sources, ebpf];
  return sources.map((s, j) => (j === i ? new MergedFlowSource(s, ebpf) : s));
}
