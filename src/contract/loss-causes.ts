/**
 * Why an agent lost records (the wire's `LossCause`, named): one list for the wire codec, the
 * agent report documents and the API's completeness object. `other` stands for a cause a
 * reader does not know (a newer agent) and for minor ones such as events discarded when the
 * eBPF loader restarted. Dependency-free, so the UI and API schemas can use it.
 */
export const LOSS_CAUSES = ['spool_full', 'spool_corrupt', 'spool_error', 'ring_buffer', 'crash', 'encode', 'other'] as const;
export type LossCause = (typeof LOSS_CAUSES)[number];

/**
 * Why the flows of a span of time may be missing, where the number lost is unknowable: measured in
 * seconds of possibly lost flows, never in records (there may have been no traffic at all then).
 * `goldmane_retention`: a Goldmane source was away longer than Goldmane keeps flows (about an
 * hour), so Goldmane dropped what the source had not read yet.
 */
export const SPAN_LOSS_CAUSES = ['goldmane_retention'] as const;
export type SpanLossCause = (typeof SPAN_LOSS_CAUSES)[number];
