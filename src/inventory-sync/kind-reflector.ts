/**
 * Mirrors one kind of the API server into a sink, the way client-go's reflector does: a paginated
 * LIST, then a WATCH from the list's resourceVersion (bookmarks on, a randomised server timeout),
 * resumed from the last resourceVersion seen after every end or failure. 410 Gone (the server no
 * longer has that history) means a new LIST, which the sink reconciles against what it holds, so
 * an object deleted while the watch was down is deleted here too. A kind the identity may not
 * read (403) is retried slowly.
 */
import { KubeApiError, statusOf, type KubeApi, type WatchEvent } from './kube-client.ts';
import { Backoff, sleep } from './retry-backoff.ts';
import { apiVersionOf, collectionPath, type ServedKind } from './synced-kinds.ts';

/** An API object as list and watch return it (list items get apiVersion and kind filled in). */
export interface ApiObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** Where a reflector delivers what it sees; `at` is the time it observed it (epoch ms). */
export interface ReflectorSink {
  /** A complete LIST: exactly these objects exist now (anything else the sink holds of the kind is gone). */
  replace(objects: readonly ApiObject[], at: number): void;
  upsert(object: ApiObject, at: number): void;
  remove(object: ApiObject, at: number): void;
}

/** Why a watch was opened again. */
export type WatchRestartReason = 'timeout' | 'gone' | 'error' | 'forbidden' | 'resync';

/** What the reflector reports (for logs and metrics); every callback is optional. */
export interface ReflectorObserver {
  listed?(count: number, resourceVersion: string, relist: boolean): void;
  watchRestarted?(reason: WatchRestartReason, error?: unknown): void;
  /** Reading the kind is forbidden (`verb` is list or watch); called at the first 403 of a streak. */
  forbidden?(verb: 'list' | 'watch', error: KubeApiError): void;
  /** The kind is readable again after a 403 streak. */
  allowed?(): void;
  /** A LIST failed for another reason (called every time; the reflector retries with backoff). */
  listFailed?(error: unknown): void;
}

export interface ReflectorOptions {
  readonly pageSize?: number;
  /** Server-side watch timeout, drawn each time (default 300-600 s). */
  readonly watchTimeoutSeconds?: () => number;
  readonly backoff?: Backoff;
  /** Retry interval while forbidden (default 60 s). */
  readonly forbiddenRetryMs?: number;
  /** Full relist this often (0 = never; a relist also repairs anything a bug may have missed). */
  readonly resyncPeriodMs?: number;
  /** A watch that delivers nothing for this long is considered dead (default: watch timeout + 60 s). */
  readonly idleTimeoutMs?: number;
  readonly now?: () => number;
}

class GoneError extends Error {}

export type ReflectorPhase = 'idle' | 'listing' | 'watching' | 'waiting' | 'forbidden' | 'stopped';

export class KindReflector {
  private readonly stopper = new AbortController();
  private running: Promise<void> | undefined;
  private resourceVersion = '';
  private needList = true;
  private forbiddenStreak = false;
  private watchAbort: AbortController | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  /** True once a LIST completed (the sink holds the kind's whole state). */
  synced = false;
  phase: ReflectorPhase = 'idle';

  constructor(
    private readonly api: KubeApi,
    readonly kind: ServedKind,
    private readonly sink: ReflectorSink,
    private readonly observer: ReflectorObserver = {},
    private readonly options: ReflectorOptions = {},
  ) {
    this.backoff = options.backoff ?? new Backoff({ initialMs: 500, maxMs: 30_000 });
  }

  /** The resourceVersion the next watch resumes from. */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  /** True while reading the kind is forbidden. */
  get forbidden(): boolean {
    return this.forbiddenStreak;
  }

  start(): void {
    this.running ??= this.run();
    if (this.options.resyncPeriodMs && this.options.resyncPeriodMs > 0) {
      this.resyncTimer = setInterval(() => this.requestRelist('resync'), this.options.resyncPeriodMs);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.stopper.abort();
    this.watchAbort?.abort();
    await this.running;
    this.phase = 'stopped';
  }

  /** Ends the current watch and lists again (periodic resync). */
  requestRelist(reason: WatchRestartReason = 'resync'): void {
    if (this.phase !== 'watching') return;
    this.needList = true;
    this.watchAbort?.abort(new Error(reason));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private withKind(item: Record<string, unknown>): ApiObject {
    return { ...item, apiVersion: apiVersionOf(this.kind), kind: this.kind.kind } as ApiObject;
  }

  private async run(): Promise<void> {
    let listedBefore = false;
    while (!this.stopped) {
      if (this.needList) {
        this.phase = 'listing';
        try {
          const { items, resourceVersion } = await this.listAll();
          if (this.stopped) break;
          this.resourceVersion = resourceVersion;
          this.needList = false;
          this.sink.replace(items, this.now());
          this.synced = true;
          this.clearForbidden();
          this.backoff.reset();
          this.observer.listed?.(items.length, resourceVersion, listedBefore);
          listedBefore = true;
        } catch (err) {
          if (this.stopped) break;
          await this.waitAfterFailure('list', err);
          continue;
        }
      }
      this.phase = 'watching';
      const opened = this.now();
      let delivered = false;
      try {
        await this.watchOnce(() => (delivered = true));
        if (this.stopped) break;
        if (this.needList) {
          this.observer.watchRestarted?.('resync');
          continue;
        }
        this.observer.watchRestarted?.('timeout');
        // A watch that the server ends at once, again and again, must not spin.
        if (!delivered && this.now() - opened < 1000) await this.pause(this.backoff.next());
        else this.backoff.reset();
      } catch (err) {
        if (this.stopped) break;
        if (this.needList && !(err instanceof GoneError)) {
          this.observer.watchRestarted?.('resync');
          continue;
        }
        if (err instanceof GoneError || statusOf(err) === 410) {
          this.needList = true;
          this.observer.watchRestarted?.('gone', err);
          continue;
        }
        if (statusOf(err) === 403) {
          this.needList = true;
          this.observer.watchRestarted?.('forbidden', err);
          await this.waitAfterFailure('watch', err);
          continue;
        }
        this.observer.watchRestarted?.('error', err);
        if (delivered) this.backoff.reset();
        await this.pause(this.backoff.next());
      }
    }
    this.phase = 'stopped';
  }

  private clearForbidden(): void {
    if (this.forbiddenStreak) {
      this.forbiddenStreak = false;
      this.observer.allowed?.();
    }
  }

  private async waitAfterFailure(verb: 'list' | 'watch', err: unknown): Promise<void> {
    if (statusOf(err) === 403) {
      if (!this.forbiddenStreak) {
        this.forbiddenStreak = true;
        this.observer.forbidden?.(verb, err as KubeApiError);
      }
      this.phase = 'forbidden';
      await this.pause(this.options.forbiddenRetryMs ?? 60_000);
      return;
    }
    if (verb === 'list') this.observer.listFailed?.(err);
    this.phase = 'waiting';
    await this.pause(this.backoff.next());
  }

  private pause(ms: number): Promise<void> {
    return sleep(ms, this.stopper.signal);
  }

  /**
   * Lists the whole kind page by page. A continue token that expired (410) starts over; after a
   * second expiry the list is read in one piece, which cannot expire.
   */
  private async listAll(): Promise<{ items: ApiObject[]; resourceVersion: string }> {
    const pageSize = this.options.pageSize ?? 500;
    for (let attempt = 0; ; attempt++) {
      const limit = attempt < 2 ? pageSize : 0;
      const items: ApiObject[] = [];
      let token: string | undefined;
      let resourceVersion = '';
      try {
        do {
          const query = new URLSearchParams();
          if (limit > 0) query.set('limit', String(limit));
          if (token) query.set('continue', token);
          const page = await this.api.request<{ metadata?: { resourceVersion?: string; continue?: string }; items?: Record<string, unknown>[] }>(
            'GET', `${collectionPath(this.kind)}?${query}`, undefined, { signal: this.stopper.signal, timeoutMs: 120_000 },
          );
          for (const item of page.items ?? []) items.push(this.withKind(item));
          resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
          token = page.metadata?.continue || undefined;
        } while (token !== undefined);
        return { items, resourceVersion };
      } catch (err) {
        if (statusOf(err) === 410 && token !== undefined && attempt < 2) continue;
        throw err;
      }
    }
  }

  private async watchOnce(onDelivery: () => void): Promise<void> {
    const timeoutSeconds = this.options.watchTimeoutSeconds?.() ?? 300 + Math.floor(Math.random() * 300);
    const query = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds), resourceVersion: this.resourceVersion });
    const abort = new AbortController();
    this.watchAbort = abort;
    try {
      await this.api.watch(`${collectionPath(this.kind)}?${query}`, (event) => {
        if (abort.signal.aborted) return;
        onDelivery();
        this.apply(event);
      }, { signal: AbortSignal.any([this.stopper.signal, abort.signal]), idleTimeoutMs: this.options.idleTimeoutMs ?? (timeoutSeconds + 60) * 1000 });
    } catch (err) {
      if (abort.signal.aborted && !this.stopped && this.needList) return;
      throw err;
    } finally {
      this.watchAbort = undefined;
    }
  }

  private apply(event: WatchEvent): void {
    const at = this.now();
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; message?: string; reason?: string };
      if (status.code === 410) throw new GoneError(status.message ?? 'resource version too old');
      throw new KubeApiError(status.code ?? 500, 'WATCH', collectionPath(this.kind), status);
    }
    const object = event.object as unknown as ApiObject;
    const rv = object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    const full = this.withKind(object as unknown as Record<string, unknown>);
    if (event.type === 'DELETED') this.sink.remove(full, at);
    else this.sink.upsert(full, at);
    if (rv) this.resourceVersion = rv;
  }
}
