/**
 * Per-agent batch sequence bookkeeping: each agent numbers its batches 1, 2, 3, … per boot, so a
 * jump means batches were lost between agent and enricher (or dropped from its spool) and a
 * repeat means a batch was delivered again (a producer retry or a replay after a crash).
 *
 * Two things keep the figures true to what Kafka holds:
 * - The enricher's own retries are not repeats. Observations made while preparing a fetch of a
 *   partition are journalled (`observing`) until its offsets are committed (`committed`); when
 *   the fetch fails and the partition is consumed again from its last commit (`rewind`), they
 *   are undone, so the batches seen again count as what they are, once.
 * - A collector that was killed cannot number the batches it lost in memory, but its next boot
 *   can say which sequence its predecessor had reached (the `segflow-previous-boot` header,
 *   see the collector's crash ledger). Noted here (`notePredecessor`), the restart then counts
 *   the predecessor's batches never received as a gap.
 */
export type SequenceObservation = { kind: 'first' } | { kind: 'next' } | { kind: 'gap'; missing: number } | { kind: 'duplicate' } | { kind: 'restart' };

/** What a new boot of an agent says about the boot before it. */
export interface PredecessorNote {
  readonly agentId: string;
  readonly bootId: string;
  readonly previousBootId: string;
  /** Highest sequence the previous boot had handed out (built into a batch). */
  readonly previousLastSequence: number;
}

interface AgentState {
  readonly bootId: string;
  readonly sequence: number;
}

/** One prepared fetch of a partition whose observations are not committed yet. */
interface JournalEntry {
  readonly lastOffset: bigint;
  /** Each agent's state before the fetch changed it (undefined: the agent was unknown). */
  readonly before: Array<[string, AgentState | undefined]>;
}

export class SequenceTracker {
  private readonly last = new Map<string, AgentState>();
  private readonly predecessors = new Map<string, PredecessorNote>();
  private readonly journal = new Map<number, JournalEntry[]>();
  private current: { before: Map<string, AgentState | undefined> } | undefined;

  /** Records that `agentId` (in boot `bootId`) sent batch `sequence`; says what that means. */
  observe(agentId: string, bootId: string, sequence: number): SequenceObservation {
    const prev = this.last.get(agentId);
    if (this.current && !this.current.before.has(agentId)) this.current.before.set(agentId, prev);
    if (!prev) {
      this.last.set(agentId, { bootId, sequence });
      return { kind: 'first' };
    }
    if (prev.bootId !== bootId) {
      this.last.set(agentId, { bootId, sequence });
      const note = this.predecessors.get(`${agentId}\u0000${bootId}`);
      // The boot before this one had handed out batches we never saw: lost with it.
      if (note && note.previousBootId === prev.bootId && note.previousLastSequence > prev.sequence) {
        return { kind: 'gap', missing: note.previousLastSequence - prev.sequence + Math.max(0, sequence - 1) };
      }
      return { kind: 'restart' };
    }
    if (sequence <= prev.sequence) return { kind: 'duplicate' };
    this.last.set(agentId, { bootId, sequence });
    return sequence === prev.sequence + 1 ? { kind: 'next' } : { kind: 'gap', missing: sequence - prev.sequence - 1 };
  }

  /** Remembers what a new boot said about its predecessor (before its batches are observed). */
  notePredecessor(note: PredecessorNote): void {
    this.predecessors.set(`${note.agentId}\u0000${note.bootId}`, note);
    // One note per agent is enough: the latest boot's.
    for (const [key, n] of this.predecessors) if (n.agentId === note.agentId && n.bootId !== note.bootId) this.predecessors.delete(key);
  }

  /**
   * Runs `prepare` (which observes the batches of one fetch of `partition`, ending at
   * `lastOffset`) with its observations journalled, so that `rewind` can undo them.
   */
  observing<T>(partition: number, lastOffset: string, prepare: () => T): T {
    const entry = { before: new Map<string, AgentState | undefined>() };
    this.current = entry;
    try {
      return prepare();
    } finally {
      this.current = undefined;
      if (entry.before.size > 0) {
        const list = this.journal.get(partition) ?? [];
        list.push({ lastOffset: BigInt(lastOffset), before: [...entry.before] });
        this.journal.set(partition, list);
      }
    }
  }

  /** The offsets of `partition` up to `lastOffset` are committed: their observations stand. */
  committed(partition: number, lastOffset: string): void {
    const list = this.journal.get(partition);
    if (!list) return;
    const upTo = BigInt(lastOffset);
    const rest = list.filter((e) => e.lastOffset > upTo);
    if (rest.length > 0) this.journal.set(partition, rest);
    else this.journal.delete(partition);
  }

  /**
   * `partition` is consumed again from its last commit (a batch failed, or partitions moved):
   * undoes the observations of every uncommitted fetch of it, newest first.
   */
  rewind(partition: number): void {
    const list = this.journal.get(partition);
    if (!list) return;
    for (const entry of [...list].reverse()) {
      for (const [agent, before] of entry.before) {
        if (before) this.last.set(agent, before);
        else this.last.delete(agent);
      }
    }
    this.journal.delete(partition);
  }

  /** Rewinds every partition (after a rebalance: whatever was not committed comes again). */
  rewindAll(): void {
    for (const partition of [...this.journal.keys()]) this.rewind(partition);
  }

  get agents(): number {
    return this.last.size;
  }
}
