/**
 * Where the API's view of the inventory (endpoints, policies, tiers) comes from. The enricher
 * and the API must agree on it, so in a deployment it is the compacted inventory topic; for a
 * single machine or tests, resource files. Both plug in behind `InventorySource`.
 */
import { Inventory, keyOf, loadResourcePaths, type Resource } from '../../inventory/index.ts';
import { readResourceDocuments } from '../../inventory/topic/resource-documents.ts';

/** A consistent view of the inventory at one revision. */
export interface InventoryView {
  readonly inventory: Inventory;
  /** Every resource the inventory holds (previews rebuild a candidate inventory from them). */
  readonly resources: readonly Resource[];
  /**
   * The documents as the user wrote them, by resource key (fixes edit a policy's own document
   * rather than a rendering of the normalised model); undefined or partial when not known.
   */
  readonly documents?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  /** When the view was built (epoch ms). */
  readonly loadedAtMs: number;
}

/** A source of inventory views; the API reads `current()` on every request that needs one. */
export interface InventorySource {
  /** Human description for logs and /readyz (`files: a.yaml, b/`, `topic segflow.inventory`). */
  readonly description: string;
  /** Loads (or starts following) the inventory; resolves when the first full view is available. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The latest complete view, or undefined before the first one. */
  current(): InventoryView | undefined;
}

/** Loads resource files once at start (`--resources PATH...`). */
export class FileInventorySource implements InventorySource {
  readonly description: string;
  private readonly paths: readonly string[];
  private view: InventoryView | undefined;

  constructor(paths: readonly string[]) {
    this.paths = paths;
    this.description = `files: ${paths.join(', ')}`;
  }

  /** @throws Error listing the first load error (a half-loaded policy set would give wrong answers). */
  async start(): Promise<void> {
    const loaded = await loadResourcePaths(this.paths);
    const errors = loaded.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new Error(`inventory: ${errors.length} resource error(s); first: ${errors[0]?.message ?? ''}`);
    const documents = new Map<string, Readonly<Record<string, unknown>>>();
    for (const d of (await readResourceDocuments(this.paths)).documents) for (const r of d.resources) documents.set(keyOf(r), d.document);
    this.view = { inventory: Inventory.fromResources(loaded.resources), resources: loaded.resources, documents, loadedAtMs: Date.now() };
  }

  async stop(): Promise<void> {
    // Nothing to release: the files were read once.
  }

  current(): InventoryView | undefined {
    return this.view;
  }
}

/** A fixed, in-memory view (tests, and embedding the API next to an enricher that owns the inventory). */
export class StaticInventorySource implements InventorySource {
  readonly description = 'in-memory resources';
  private readonly view: InventoryView;

  /** `documents`: the resources' documents as written, by resource key (optional). */
  constructor(resources: readonly Resource[], documents?: ReadonlyMap<string, Readonly<Record<string, unknown>>>) {
    this.view = { inventory: Inventory.fromResources(resources), resources, ...(documents ? { documents } : {}), loadedAtMs: Date.now() };
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  current(): InventoryView {
    return this.view;
  }
}

/** The source used when none is configured: never ready, so inventory routes answer 503. */
export class NoInventorySource implements InventorySource {
  readonly description = 'none configured (give --resources or an inventory topic)';
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  current(): undefined {
    return undefined;
  }
}
