/**
 * What route plugins receive: configuration, the flow store, the inventory source and metrics.
 */
import type { ApiConfig } from './config.ts';
import type { FlowStore } from './flow-store.ts';
import type { InventorySource, InventoryView } from './inventory/inventory-source.ts';
import type { ApiMetrics } from './metrics.ts';
import { SharedPointInTime } from './shared-point-in-time.ts';
import { ApiError } from './errors.ts';

/** Shared state of one API server. */
export interface ApiContext {
  readonly config: ApiConfig;
  readonly store: FlowStore;
  readonly inventory: InventorySource;
  readonly metrics: ApiMetrics;
  /** The point in time first pages of /flows read (shared for `timeouts.sharedPitMaxAgeMs`). */
  readonly firstPagePit: SharedPointInTime;
  /** The clock (epoch ms); tests pin it. */
  readonly now: () => number;
}

/** The current inventory view, or a 503 naming why there is none. */
export function requireInventory(ctx: ApiContext): InventoryView {
  const view = ctx.inventory.current();
  if (view === undefined) throw new ApiError(503, 'inventory_unavailable', `the inventory is not loaded (${ctx.inventory.description})`);
  return view;
}

/** The keep-alive of /flows points in time, as Elasticsearch takes it (`120s`). */
export function pageKeepAlive(config: ApiConfig): string {
  return `${Math.ceil(config.timeouts.pageKeepAliveMs / 1000)}s`;
}

/** The context of one server: `firstPagePit` is derived from `config` and `store`. */
export function createApiContext(parts: Omit<ApiContext, 'firstPagePit'>): ApiContext {
  const { timeouts } = parts.config;
  const keepAlive = pageKeepAlive(parts.config);
  const firstPagePit = new SharedPointInTime(() => parts.store.openPit(keepAlive, { timeoutMs: timeouts.queryMs }), timeouts.sharedPitMaxAgeMs);
  return { ...parts, firstPagePit };
}
