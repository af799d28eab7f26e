/**
 * Per-agent batch sequence bookkeeping: each agent numbers its batches 1, 2, 3, … per boot, so a
 * jump means batches were lost between agent and enricher (or dropped from its spool) and a
 * repeat means a batch was delivered again (a producer retry or a replay after a crash).
 */
export type SequenceObservation = { kind: 'first' } | { kind: 'next' } | { kind: 'gap'; missing: number } | { kind: 'duplicate' } | { kind: 'restart' };

export class SequenceTracker {
  private readonly last = new Map<string, { bootId: string; sequence: number }>();

  /** Records that `agentId` (in boot `bootId`) sent batch `sequence`; says what that means. */
  observe(agentId: string, bootId: string, sequence: number): SequenceObservation {
    const prev = this.last.get(agentId);
    if (!prev) {
      this.last.set(agentId, { bootId, sequence });
      return { kind: 'first' };
    }
    if (prev.bootId !== bootId) {
      this.last.set(agentId, { bootId, sequence });
      return { kind: 'restart' };
    }
    if (sequence <= prev.sequence) return { kind: 'duplicate' };
    this.last.set(agentId, { bootId, sequence });
    return sequence === prev.sequence + 1 ? { kind: 'next' } : { kind: 'gap', missing: sequence - prev.sequence - 1 };
  }

  get agents(): number {
    return this.last.size;
  }
}
