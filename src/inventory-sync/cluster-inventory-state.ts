/**
 * What the cluster holds (desired: the inventory document of every object, by topic key) against
 * what the topic holds (published), and the keys where they may differ (dirty). The reflectors
 * write the desired side; the topic writer takes batches of differences, and marks them published
 * once Kafka acknowledged them. Pending changes are keyed, so the latest state of a key wins and a
 * failed send loses nothing: the key simply stays dirty.
 *
 * Tombstones: a key leaves the topic when the object was deleted, or — at a reconcile (a new
 * leader, a kind listed again) — when the topic holds it with this cluster's origin and the
 * cluster, whose kind was fully listed (or is known not to be served), no longer has it. Keys
 * from `inventory apply` or other clusters are never deleted.
 */
import type { ApiObject, ReflectorSink } from './kind-reflector.ts';
import { apiVersionOf, servedKindId, type ServedKind } from './synced-kinds.ts';

/** The conversion contract (src/inventory-sync/convert/inventory-document.ts). */
export type DocumentConversion =
  | { readonly ok: true; readonly document: Record<string, unknown>; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[]; readonly derivedFrom?: string };

export interface StateHooks {
  /** API object → the document `inventory apply` would accept. */
  convert(object: ApiObject): DocumentConversion;
  /** Document → topic key (null: a kind the inventory does not know). */
  keyOf(document: Record<string, unknown>): string | null;
  conversionFailed?(kind: ServedKind, object: ApiObject, errors: readonly string[]): void;
  /** The object is Calico's view of another object the sync publishes itself (skipped quietly). */
  derived?(kind: ServedKind, object: ApiObject, source: string): void;
  conversionWarnings?(kind: ServedKind, object: ApiObject, warnings: readonly string[]): void;
  /** The document of this kind has no topic key (reported once per kind by the caller). */
  keyless?(kind: ServedKind, object: ApiObject): void;
  /** A key changed on the desired side (the writer flushes soon). */
  changed?(): void;
}

/** The value of a topic record this sync writes (readers ignore `writer`). */
export interface SyncedRecord {
  readonly document: Record<string, unknown>;
  readonly origin: string;
  readonly appliedAt: string;
  /** The sync replica that wrote it (leader identity), for "who wrote this" and the two-writer check. */
  readonly writer: string;
}

/** A message ready to send. `observedAt` is when the sync saw the change (the Kafka timestamp). */
export interface PendingMessage {
  readonly key: string;
  readonly value: string | null;
  readonly observedAt: number;
  /** JSON of the document sent (null for a tombstone): what the topic holds once acknowledged. */
  readonly documentJson: string | null;
  readonly origin: string | null;
}

interface DesiredEntry {
  readonly documentJson: string;
  readonly document: Record<string, unknown>;
  readonly origin: string;
  readonly observedAt: number;
}

interface PublishedEntry {
  readonly documentJson: string;
  readonly origin: string;
}

/** `apiVersion/kind` of an origin this sync wrote, parsed (`kubernetes:<cluster>:<apiVersion>/<kind>/<ns>/<name>@<rv>`). */
export function originKind(origin: string, prefix: string): { apiVersion: string; kind: string } | undefined {
  if (!origin.startsWith(prefix)) return undefined;
  const parts = origin.slice(prefix.length).split('/');
  // Core kinds are `v1/Kind/ns/name`, others `group/version/Kind/ns/name`.
  const grouped = parts[0]?.includes('.') ?? false;
  const need = grouped ? 5 : 4;
  if (parts.length !== need) return undefined;
  return grouped ? { apiVersion: `${parts[0]}/${parts[1]}`, kind: parts[2]! } : { apiVersion: parts[0]!, kind: parts[1]! };
}

/**
 * The JSON of a {@link SyncedRecord}, built around the document's JSON (already made to compare
 * it with the topic) instead of serialising the document a second time.
 */
export function syncedRecordJson(documentJson: string, origin: string, appliedAt: string, writer: string): string {
  return `{"document":${documentJson},"origin":${JSON.stringify(origin)},"appliedAt":${JSON.stringify(appliedAt)},"writer":${JSON.stringify(writer)}}`;
}

/** Bound on remembered deletion times while this replica cannot publish (a follower). */
const MAX_REMEMBERED_REMOVALS = 100_000;

export class ClusterInventoryState {
  private readonly desired = new Map<string, DesiredEntry>();
  /** Per served kind: object (`ns/name`) → topic key. */
  private readonly objectKeys = new Map<string, Map<string, string>>();
  /** The topic's contents as of the last load plus what was acknowledged since; undefined until loaded. */
  private published: Map<string, PublishedEntry> | undefined;
  private readonly dirty = new Set<string>();
  /** Keys whose object was deleted, with when the deletion was observed (the tombstone's timestamp). */
  private readonly removed = new Map<string, number>();
  /** Families (`calico/Tier`, ...) whose whole state is known: listed, or not served at all. */
  private readonly covered = new Set<string>();
  /** apiVersion/kind → family, for reading origins. */
  private readonly familyOfKind = new Map<string, string>();
  /** Served kind id → family. */
  private readonly familyOfServed = new Map<string, string>();
  readonly originPrefix: string;

  constructor(readonly cluster: string, private readonly hooks: StateHooks) {
    this.originPrefix = `kubernetes:${cluster}:`;
  }

  /** The reflector sink of one served kind. */
  sinkFor(kind: ServedKind): ReflectorSink {
    this.familyOfKind.set(`${apiVersionOf(kind)}/${kind.kind}`, kind.family);
    this.familyOfServed.set(servedKindId(kind), kind.family);
    return {
      replace: (objects, at) => this.replace(kind, objects, at),
      upsert: (object, at) => this.upsert(kind, object, at),
      remove: (object, at) => this.remove(kind, object, at),
    };
  }

  /** Keys held per served kind (for the objects gauge). */
  objectCount(kind: ServedKind): number {
    return this.objectKeys.get(servedKindId(kind))?.size ?? 0;
  }

  get pendingCount(): number {
    return this.dirty.size;
  }

  get loaded(): boolean {
    return this.published !== undefined;
  }

  /** Desired document of a key (tests, status). */
  documentOf(key: string): Record<string, unknown> | undefined {
    return this.desired.get(key)?.document;
  }

  get desiredKeys(): ReadonlySet<string> {
    return new Set(this.desired.keys());
  }

  private objectName(object: ApiObject): string {
    return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
  }

  private keysOf(kind: ServedKind): Map<string, string> {
    const id = servedKindId(kind);
    let keys = this.objectKeys.get(id);
    if (keys === undefined) this.objectKeys.set(id, (keys = new Map()));
    return keys;
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    this.hooks.changed?.();
  }

  private upsert(kind: ServedKind, object: ApiObject, at: number): void {
    const conversion = this.hooks.convert(object);
    if (!conversion.ok) {
      if (conversion.derivedFrom !== undefined) this.hooks.derived?.(kind, object, conversion.derivedFrom);
      else this.hooks.conversionFailed?.(kind, object, conversion.errors);
      return;
    }
    const key = this.hooks.keyOf(conversion.document);
    if (key === null) {
      this.hooks.keyless?.(kind, object);
      return;
    }
    const keys = this.keysOf(kind);
    const name = this.objectName(object);
    const previousKey = keys.get(name);
    if (previousKey !== undefined && previousKey !== key) this.forget(previousKey, at);
    keys.set(name, key);
    const documentJson = JSON.stringify(conversion.document);
    const before = this.desired.get(key);
    // Only resourceVersion or managedFields changed: the document is the same, nothing to publish.
    if (before !== undefined && before.documentJson === documentJson) return;
    if (conversion.warnings.length > 0) this.hooks.conversionWarnings?.(kind, object, conversion.warnings);
    this.desired.set(key, {
      documentJson, document: conversion.document, observedAt: at,
      origin: `${this.originPrefix}${apiVersionOf(kind)}/${kind.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}@${object.metadata.resourceVersion ?? ''}`,
    });
    this.removed.delete(key);
    this.markDirty(key);
  }

  private remove(kind: ServedKind, object: ApiObject, at: number): void {
    const keys = this.keysOf(kind);
    const name = this.objectName(object);
    const key = keys.get(name);
    if (key === undefined) return;
    keys.delete(name);
    this.forget(key, at);
  }

  private forget(key: string, at: number): void {
    if (!this.desired.delete(key)) return;
    this.removed.set(key, at);
    if (!this.loaded && this.removed.size > MAX_REMEMBERED_REMOVALS) this.removed.delete(this.removed.keys().next().value!);
    this.markDirty(key);
  }

  /**
   * A full list: objects not in it are gone (deleted while the watch was down). The list also
   * replaces what another API form of the same family held (Calico's backend CRDs, once v3 is
   * served), in one step so that no tombstone is sent for a key the new form still has.
   */
  private replace(kind: ServedKind, objects: readonly ApiObject[], at: number): void {
    const present = new Set(objects.map((o) => this.objectName(o)));
    const keys = this.keysOf(kind);
    const stale: string[] = [];
    for (const [name, key] of [...keys]) {
      if (!present.has(name)) {
        keys.delete(name);
        stale.push(key);
      }
    }
    const id = servedKindId(kind);
    for (const [otherId, otherKeys] of [...this.objectKeys]) {
      if (otherId === id || this.familyOfServed.get(otherId) !== kind.family) continue;
      stale.push(...otherKeys.values());
      this.objectKeys.delete(otherId);
    }
    for (const object of objects) this.upsert(kind, object, at);
    const kept = new Set(keys.values());
    for (const key of stale) if (!kept.has(key)) this.forget(key, at);
    this.cover(kind.family);
  }

  /** A kind stopped being served (its CRD was deleted): its objects are gone. */
  dropKind(kind: ServedKind, at: number): void {
    const keys = this.keysOf(kind);
    for (const key of keys.values()) this.forget(key, at);
    this.objectKeys.delete(servedKindId(kind));
  }

  /** A family is known not to be served: its keys on the topic from this cluster are stale. */
  markAbsent(family: string): void {
    this.cover(family);
  }

  /** A family's state is no longer known in full (forbidden, or being switched to another API form). */
  uncover(family: string): void {
    this.covered.delete(family);
  }

  private cover(family: string): void {
    if (this.covered.has(family)) return;
    this.covered.add(family);
    if (this.published === undefined) return;
    // Stale keys of this family on the topic now qualify for a tombstone.
    for (const [key, entry] of this.published) {
      if (!this.desired.has(key) && this.familyOfOrigin(entry.origin) === family) this.markDirty(key);
    }
  }

  private familyOfOrigin(origin: string): string | undefined {
    const parsed = originKind(origin, this.originPrefix);
    if (parsed === undefined) return undefined;
    const known = this.familyOfKind.get(`${parsed.apiVersion}/${parsed.kind}`);
    if (known !== undefined) return known;
    // Origins written by another API form of a Calico kind belong to the same family.
    if (parsed.apiVersion === 'projectcalico.org/v3' || parsed.apiVersion === 'crd.projectcalico.org/v1') return `calico/${parsed.kind}`;
    return undefined;
  }

  /**
   * The topic as it is now (read after winning the lease: another writer may have changed it).
   * Every key becomes dirty, so the next batches publish every difference.
   */
  loadPublished(records: ReadonlyMap<string, { document: Record<string, unknown>; origin: string }>): void {
    this.published = new Map();
    for (const [key, record] of records) this.published.set(key, { documentJson: JSON.stringify(record.document), origin: record.origin });
    for (const key of this.removed.keys()) if (!this.published.has(key)) this.removed.delete(key);
    for (const key of this.desired.keys()) this.dirty.add(key);
    for (const key of this.published.keys()) this.dirty.add(key);
    this.hooks.changed?.();
  }

  /** Forgets the topic's contents (lease lost: someone else may write now). */
  unloadPublished(): void {
    this.published = undefined;
  }

  /**
   * Up to `max` messages (and about `maxBytes` of values, never less than one message) for dirty
   * keys not in `exclude` (keys already in the open transaction); keys found clean are dropped
   * from the dirty set.
   */
  takeBatch(max: number, now: number, writer: string, options: { exclude?: ReadonlySet<string>; maxBytes?: number } = {}): PendingMessage[] {
    const published = this.published;
    if (published === undefined) return [];
    const batch: PendingMessage[] = [];
    const appliedAt = new Date(now).toISOString();
    const maxBytes = options.maxBytes ?? Infinity;
    let bytes = 0;
    for (const key of this.dirty) {
      if (batch.length >= max || bytes >= maxBytes) break;
      if (options.exclude?.has(key)) continue;
      const want = this.desired.get(key);
      const have = published.get(key);
      if (want !== undefined) {
        if (have !== undefined && have.documentJson === want.documentJson) {
          this.dirty.delete(key);
          continue;
        }
        const value = syncedRecordJson(want.documentJson, want.origin, appliedAt, writer);
        if (batch.length > 0 && bytes + value.length > maxBytes) break;
        bytes += value.length;
        batch.push({ key, value, observedAt: want.observedAt, documentJson: want.documentJson, origin: want.origin });
        continue;
      }
      const removedAt = this.removed.get(key);
      const ours = have !== undefined && have.origin.startsWith(this.originPrefix);
      const family = have === undefined ? undefined : this.familyOfOrigin(have.origin);
      if (ours && (removedAt !== undefined || (family !== undefined && this.covered.has(family)))) {
        batch.push({ key, value: null, observedAt: removedAt ?? now, documentJson: null, origin: null });
        continue;
      }
      this.dirty.delete(key);
      if (have === undefined) this.removed.delete(key);
    }
    return batch;
  }

  /** Kafka acknowledged these: the topic holds them now; keys that changed meanwhile stay dirty. */
  acknowledge(batch: readonly PendingMessage[]): void {
    const published = this.published;
    if (published === undefined) return;
    for (const message of batch) {
      if (message.documentJson === null) published.delete(message.key);
      else published.set(message.key, { documentJson: message.documentJson, origin: message.origin! });
      const want = this.desired.get(message.key);
      const settled = message.documentJson === null ? want === undefined : want?.documentJson === message.documentJson;
      if (settled) {
        this.dirty.delete(message.key);
        this.removed.delete(message.key);
      }
    }
  }
}
