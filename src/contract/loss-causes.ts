/**
 * Why an agent lost records (the wire's `LossCause`, named): one list for the wire codec, the
 * agent report documents and the API's completeness object. `other` stands for a cause a
 * reader does not know (a newer agent) and for minor ones such as events discarded when the
 * eBPF loader restarted. Dependency-free, so the UI and API schemas can use it.
 */
export const LOSS_CAUSES = ['spool_full', 'spool_corrupt', 'spool_error', 'ring_buffer', 'crash', 'encode', 'other'] as const;
export type LossCause = (typeof LOSS_CAUSES)[number];
