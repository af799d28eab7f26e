/**
 * One point in time (PIT) shared by the first pages of `/flows` requests that arrive within a
 * short interval.
 *
 * Opening a PIT is a round trip of its own (as long as the search itself on a small query), and
 * every open PIT pins index readers until it lapses. Elasticsearch is near-real-time anyway:
 * documents become searchable at the next refresh (1 s by default), so a view opened up to
 * `maxAgeMs` ago is as fresh as the indices promise. Requests within that interval therefore
 * page over the same frozen view; concurrent requests wait for one open (single flight). The
 * exactness of paging is unchanged: every page of one cursor still reads the one PIT the first
 * page used. Access control is unaffected, because a PIT is only a view of the indices: the
 * caller's scope is in every query.
 */

/** Opens a PIT and returns its id. */
export type PointInTimeOpener = () => Promise<string>;

/** A PIT handed to a first page. */
export interface AcquiredPointInTime {
  readonly id: string;
  /** True when other requests may use it too, so it must not be closed by this one. */
  readonly shared: boolean;
}

interface OpenedPointInTime {
  readonly id: string;
  /** When its open started (the view is at least this recent). */
  readonly openedAtMs: number;
}

/** Hands out a recently opened PIT, or opens one. */
export class SharedPointInTime {
  private current: OpenedPointInTime | undefined;
  private opening: Promise<OpenedPointInTime> | undefined;

  /**
   * @param open opens a new PIT over the flow indices.
   * @param maxAgeMs how old (from the start of its open) a PIT may be and still serve a new
   *   first page; 0 gives every request a PIT of its own.
   * @param now the clock, epoch ms.
   */
  constructor(
    private readonly open: PointInTimeOpener,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A PIT at most `maxAgeMs` old. Failures are not remembered: the next call tries again. */
  async acquire(): Promise<AcquiredPointInTime> {
    if (this.maxAgeMs <= 0) return { id: await this.open(), shared: false };
    const fresh = this.current;
    if (fresh !== undefined && this.now() - fresh.openedAtMs < this.maxAgeMs) return { id: fresh.id, shared: true };
    this.opening ??= this.openShared();
    return { id: (await this.opening).id, shared: true };
  }

  /** Forgets `id` (it was found expired or missing), so the next acquire opens a new one. */
  discard(id: string): void {
    if (this.current?.id === id) this.current = undefined;
  }

  private async openShared(): Promise<OpenedPointInTime> {
    const openedAtMs = this.now();
    try {
      const opened = { id: await this.open(), openedAtMs };
      this.current = opened;
      return opened;
    } finally {
      this.opening = undefined;
    }
  }
}
