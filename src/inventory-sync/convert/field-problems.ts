/**
 * Reading the fields of an API object while collecting every problem (not only the first), each
 * named by its field path (`spec.containers[0].ports[1].name: expected a string, got number 8`).
 * Pure; nothing here throws for bad input.
 */

export type JsonMap = Record<string, unknown>;

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `path.key`, `path[3]`, or `path["projectcalico.org/metadata"]` for keys that are not plain. */
export function fieldPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** Collects `path: reason` problems. */
export class FieldProblems {
  readonly messages: string[] = [];

  add(path: string, reason: string): void {
    this.messages.push(`${path}: ${reason}`);
  }

  get empty(): boolean {
    return this.messages.length === 0;
  }

  /** The map at `parent[key]`; undefined (and a problem when `required` or not a map) otherwise. */
  map(parent: JsonMap, key: string, path: string, required = false): JsonMap | undefined {
    const v = parent[key];
    const p = fieldPath(path, key);
    if (v === undefined || v === null) {
      if (required) this.add(p, 'missing');
      return undefined;
    }
    if (!isMap(v)) {
      this.add(p, `expected a map, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  /** The list at `parent[key]`; [] when absent, [] and a problem when not a list. */
  list(parent: JsonMap, key: string, path: string): unknown[] {
    const v = parent[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.add(fieldPath(path, key), `expected a list, got ${describe(v)}`);
      return [];
    }
    return v;
  }

  /** The string at `parent[key]`; undefined when absent (a problem when `required`) or not a string. */
  string(parent: JsonMap, key: string, path: string, required = false): string | undefined {
    const v = parent[key];
    const p = fieldPath(path, key);
    if (v === undefined || v === null) {
      if (required) this.add(p, 'missing');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add(p, `expected a string, got ${describe(v)}`);
      return undefined;
    }
    if (required && v === '') {
      this.add(p, 'must not be empty');
      return undefined;
    }
    return v;
  }

  /** The boolean at `parent[key]`; undefined when absent or not a boolean (a problem then). */
  boolean(parent: JsonMap, key: string, path: string): boolean | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.add(fieldPath(path, key), `expected true or false, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  /** The number at `parent[key]`; undefined when absent or not a finite number (a problem then). */
  number(parent: JsonMap, key: string, path: string): number | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(fieldPath(path, key), `expected a number, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  /** A map of strings (labels, annotations), keys sorted so equal maps serialise equally. */
  stringMap(parent: JsonMap, key: string, path: string): Record<string, string> | undefined {
    const m = this.map(parent, key, path);
    if (m === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) {
      const v = m[k];
      if (typeof v !== 'string') this.add(fieldPath(fieldPath(path, key), k), `expected a string, got ${describe(v)}`);
      else out[k] = v;
    }
    return out;
  }
}

/** A deep copy of JSON data (API objects are JSON; the copy never aliases the input). */
export function copyJson<T>(v: T): T {
  return structuredClone(v);
}

/** Sets `target[key] = value` unless value is undefined (documents carry no undefined fields). */
export function setDefined(target: JsonMap, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}
