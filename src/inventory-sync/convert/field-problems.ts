/**
 * Reading the fields of an API object while collecting every problem (not only the first), each
 * named by its field path (`spec.containers[0].ports[1].name: expected a string, got number 8`).
 * Pure; nothing here throws for bad input. The type checks and their wording are the inventory
 * loader's (src/inventory/loader/field-readers.ts); paths quote keys that are not plain.
 */
import { isObj, notABoolean, notAList, notAMap, notANumber, notAString, type Obj } from '../../inventory/loader/field-readers.ts';

export type JsonMap = Obj;

export const isMap: (v: unknown) => v is JsonMap = isObj;

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
    const problem = notAMap(v);
    if (problem !== null) {
      this.add(p, problem);
      return undefined;
    }
    return v as JsonMap;
  }

  /** The list at `parent[key]`; [] when absent, [] and a problem when not a list. */
  list(parent: JsonMap, key: string, path: string): unknown[] {
    const v = parent[key];
    if (v === undefined || v === null) return [];
    const problem = notAList(v);
    if (problem !== null) {
      this.add(fieldPath(path, key), problem);
      return [];
    }
    return v as unknown[];
  }

  /** The string at `parent[key]`; undefined when absent (a problem when `required`) or not a string. */
  string(parent: JsonMap, key: string, path: string, required = false): string | undefined {
    const v = parent[key];
    const p = fieldPath(path, key);
    if (v === undefined || v === null) {
      if (required) this.add(p, 'missing');
      return undefined;
    }
    const problem = notAString(v);
    if (problem !== null) {
      this.add(p, problem);
      return undefined;
    }
    if (required && v === '') {
      this.add(p, 'must not be empty');
      return undefined;
    }
    return v as string;
  }

  /** The boolean at `parent[key]`; undefined when absent or not a boolean (a problem then). */
  boolean(parent: JsonMap, key: string, path: string): boolean | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    const problem = notABoolean(v);
    if (problem !== null) {
      this.add(fieldPath(path, key), problem);
      return undefined;
    }
    return v as boolean;
  }

  /** The number at `parent[key]`; undefined when absent or not a finite number (a problem then). */
  number(parent: JsonMap, key: string, path: string): number | undefined {
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    const problem = notANumber(v);
    if (problem !== null) {
      this.add(fieldPath(path, key), problem);
      return undefined;
    }
    return v as number;
  }

  /** A map of strings (labels, annotations), keys sorted so equal maps serialise equally. */
  stringMap(parent: JsonMap, key: string, path: string): Record<string, string> | undefined {
    const m = this.map(parent, key, path);
    if (m === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) {
      const v = m[k];
      if (typeof v === 'string') out[k] = v;
      else this.add(fieldPath(fieldPath(path, key), k), notAString(v)!);
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
