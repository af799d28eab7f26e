/**
 * The `segflow-previous-boot` Kafka header: a collector that found its predecessor's crash
 * ledger (crash-ledger.ts) puts on every batch of its boot which boot came before it and the
 * last sequence that boot had handed out. The enricher's sequence checks can then count the
 * predecessor's batches that never arrived as a gap, instead of seeing only "a new boot".
 * A header, not a FlowBatch field: the wire schema (proto/segflow/v1) stays as it is, and
 * consumers that do not know the header ignore it.
 */
import type { IHeaders } from 'kafkajs';

export const PREVIOUS_BOOT_HEADER = 'segflow-previous-boot';

export interface PreviousBoot {
  readonly agentId: string;
  /** The boot sending this batch. */
  readonly bootId: string;
  readonly previousBootId: string;
  /** Highest sequence the previous boot built into a batch. */
  readonly previousLastSequence: number;
}

export function previousBootHeaderValue(boot: PreviousBoot): string {
  return JSON.stringify({ agentId: boot.agentId, bootId: boot.bootId, previousBootId: boot.previousBootId, previousLastSequence: boot.previousLastSequence });
}

/** The header of a message, or undefined when absent or malformed (it is advisory: never a reason to reject). */
export function parsePreviousBootHeader(headers: IHeaders | undefined): PreviousBoot | undefined {
  const raw = headers?.[PREVIOUS_BOOT_HEADER];
  if (raw === undefined) return undefined;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.toString();
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<Record<keyof PreviousBoot, unknown>>;
    const { agentId, bootId, previousBootId, previousLastSequence } = parsed;
    if (typeof agentId !== 'string' || typeof bootId !== 'string' || typeof previousBootId !== 'string') return undefined;
    if (typeof previousLastSequence !== 'number' || !Number.isSafeInteger(previousLastSequence) || previousLastSequence < 0) return undefined;
    return { agentId, bootId, previousBootId, previousLastSequence };
  } catch {
    return undefined;
  }
}
