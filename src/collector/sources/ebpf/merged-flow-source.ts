/**
 * One flow source made of the conntrack source and the eBPF source of a node, with a
 * {@link FlowMerger} between them and the collector so nothing is counted twice (the rule is
 * in ebpf-flow-merger.ts: conntrack wins the accounting of tracked flows, eBPF adds drops and
 * untracked flows).
 *
 * ```ts
 * const source = new MergedFlowSource(conntrackSource, new EbpfFlowSource({ ... }));
 * new Collector(config, { sources: [source] });
 * ```
 *
 * Start fails only when conntrack fails: without eBPF (not permitted, no BTF) the merged
 * source runs conntrack alone and says so in its status (`ebpf.state: 'unavailable'`).
 */
import type { FlowRecordData } from '../../../contract/wire/flow-batch-codec.ts';
import type { FlowRecordHandler, FlowSource } from '../flow-source.ts';
import { FlowMerger, type FlowMergerOptions } from './ebpf-flow-merger.ts';
import type { EbpfFlowSource } from './ebpf-source.ts';

/** Options of {@link MergedFlowSource}. */
export interface MergedFlowSourceOptions extends FlowMergerOptions {
  /** How often held eBPF records are decided, ms (default 500). */
  releaseEveryMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** See the module comment. */
export class MergedFlowSource implements FlowSource {
  readonly name: string;
  readonly merger: FlowMerger;
  private timer: NodeJS.Timeout | null = null;
  private onRecords: FlowRecordHandler | null = null;
  private readonly now: () => number;

  constructor(
    readonly conntrack: FlowSource,
    readonly ebpf: EbpfFlowSource,
    private readonly options: MergedFlowSourceOptions = {},
  ) {
    this.name = `${conntrack.name}+${ebpf.name}`;
    this.merger = new FlowMerger(options);
    this.now = options.now ?? Date.now;
  }

  async start(onRecords: FlowRecordHandler): Promise<void> {
    this.onRecords = onRecords;
    await this.conntrack.start((records) => this.emit(this.merger.conntrack(records, this.now())));
    try {
      await this.ebpf.start((records) => this.emit(this.merger.ebpf(records, this.now())));
    } catch (err) {
      await this.conntrack.stop();
      throw err;
    }
    this.timer = setInterval(() => this.emit(this.merger.release(this.now())), this.options.releaseEveryMs ?? 500);
  }

  /** Stops eBPF (its last interval), then conntrack (its last snapshot), then decides every held record. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ebpf.stop();
    await this.conntrack.stop();
    this.emit(this.merger.release(this.now(), true));
  }

  status(): Record<string, unknown> {
    const conntrack = this.conntrack.status();
    return { running: conntrack.running !== false, conntrack, ebpf: this.ebpf.status(), merge: this.merger.stats() };
  }

  private emit(records: FlowRecordData[]): void {
    if (records.length > 0) this.onRecords?.(records);
  }
}
