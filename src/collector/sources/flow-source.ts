/**
 * What every flow source (conntrack, eBPF, synthetic) looks like to the collector: it is
 * started with a callback that receives records, stopped, and reports its state.
 */
import type { FlowRecordData } from '../../contract/wire/flow-batch-codec.ts';

/** Receives the records a source produced, in the order it produced them. */
export type FlowRecordHandler = (records: FlowRecordData[]) => void;

/** A source of flow records. */
export interface FlowSource {
  /** Short name (`conntrack`, `ebpf`, `synthetic`), used as the metric label. */
  readonly name: string;
  /** Starts producing; resolves once the source is running (rejects if it cannot start). */
  start(onRecords: FlowRecordHandler): Promise<void>;
  /** Stops producing; records produced until then have been handed over when it resolves. */
  stop(): Promise<void>;
  /** State for the status endpoint (JSON-serializable). */
  status(): Record<string, unknown>;
}
