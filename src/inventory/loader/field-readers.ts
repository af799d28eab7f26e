/**
 * Reading one field of a document: each reader checks the value's type and range and throws
 * FieldError(path, reason) naming the field (`spec.ingress[0].ports[1]: ...`). The loader's
 * converters (one module per resource family) are built from these; the inventory sync's
 * FieldProblems (src/inventory-sync/convert/field-problems.ts) shares the type checks.
 */
import { canonicalIp, parseCidr, type Cidr } from '../model/ip.ts';
import { FieldError } from './errors.ts';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as a message names it: `null`, `a list`, `a map`, `string "x"`, `number 8`. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return `${typeof v} ${String(v)}`;
}

// Type checks of a present value: why it is not of the wanted type, or null when it is. The
// throwing readers below and FieldProblems (which collects every problem) word them alike.
export function notAMap(v: unknown): string | null {
  return isObj(v) ? null : `expected a map, got ${describe(v)}`;
}

export function notAList(v: unknown): string | null {
  return Array.isArray(v) ? null : `expected a list, got ${describe(v)}`;
}

export function notAString(v: unknown): string | null {
  return typeof v === 'string' ? null : `expected a string, got ${describe(v)}`;
}

export function notABoolean(v: unknown): string | null {
  return typeof v === 'boolean' ? null : `expected true or false, got ${describe(v)}`;
}

export function notANumber(v: unknown): string | null {
  return typeof v === 'number' && Number.isFinite(v) ? null : `expected a number, got ${describe(v)}`;
}

function check(problem: string | null, path: string): void {
  if (problem !== null) throw new FieldError(path, problem);
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function objAt(parent: Obj, key: string, path: string, required = false): Obj | undefined {
  const v = parent[key];
  const p = join(path, key);
  if (v === undefined || v === null) {
    if (required) throw new FieldError(p, 'required field is missing');
    return undefined;
  }
  check(notAMap(v), p);
  return v as Obj;
}

export function listAt(parent: Obj, key: string, path: string): unknown[] {
  const v = parent[key];
  if (v === undefined || v === null) return [];
  check(notAList(v), join(path, key));
  return v as unknown[];
}

export function strAt(parent: Obj, key: string, path: string, required = false): string | undefined {
  const v = parent[key];
  const p = join(path, key);
  if (v === undefined || v === null) {
    if (required) throw new FieldError(p, 'required field is missing');
    return undefined;
  }
  check(notAString(v), p);
  return v as string;
}

export function boolAt(parent: Obj, key: string, path: string): boolean {
  const v = parent[key];
  if (v === undefined || v === null) return false;
  check(notABoolean(v), join(path, key));
  return v as boolean;
}

export function numAt(parent: Obj, key: string, path: string): number | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  check(notANumber(v), join(path, key));
  return v as number;
}

export function intAt(parent: Obj, key: string, path: string, min: number, max: number): number | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new FieldError(join(path, key), `expected an integer ${min}–${max}, got ${describe(v)}`);
  }
  return v;
}

export function stringListAt(parent: Obj, key: string, path: string): string[] {
  return listAt(parent, key, path).map((v, i) => {
    if (typeof v !== 'string') throw new FieldError(join(join(path, key), i), `expected a string, got ${describe(v)}`);
    return v;
  });
}

// A label key as Kubernetes (and Calico) accept it: an optional DNS-subdomain prefix of at most
// 253 characters and a slash, then a name of at most 63 that starts and ends with a letter or
// digit. (So keys such as `__proto__` never reach the label maps.)
const LABEL_NAME_RE = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or null when it is. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) {
      return 'its prefix (before "/") must be a DNS subdomain: lower-case letters, digits, "-" and ".", at most 253';
    }
  }
  if (!LABEL_NAME_RE.test(name)) {
    return 'its name must be 1-63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return null;
}

export function labelsAt(parent: Obj, key: string, path: string): Map<string, string> {
  const out = new Map<string, string>();
  const o = objAt(parent, key, path);
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    const p = join(join(path, key), k);
    const problem = labelKeyProblem(k);
    if (problem !== null) throw new FieldError(p, `invalid label key ${JSON.stringify(k)}: ${problem}`);
    if (typeof v === 'string') out.set(k, v);
    else if (typeof v === 'number' || typeof v === 'boolean') throw new FieldError(p, `label value must be a string, got ${describe(v)} (quote it)`);
    else throw new FieldError(p, `label value must be a string, got ${describe(v)}`);
  }
  return out;
}

export const DNS_NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function nameOf(meta: Obj, path: string): string {
  const name = strAt(meta, 'name', path, true) as string;
  if (name === '') throw new FieldError(join(path, 'name'), 'must not be empty');
  if (name.length > 253 || /[/\s]/.test(name)) throw new FieldError(join(path, 'name'), `invalid name ${JSON.stringify(name)}`);
  return name;
}

export function namespaceOf(meta: Obj, path: string): string {
  const ns = strAt(meta, 'namespace', path);
  if (ns === undefined || ns === '') return 'default';
  if (!DNS_NAME_RE.test(ns) || ns.length > 63) throw new FieldError(join(path, 'namespace'), `invalid namespace ${JSON.stringify(ns)}`);
  return ns;
}

export function ipAt(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new FieldError(path, `expected an IP address, got ${describe(v)}`);
  const ip = canonicalIp(v);
  if (ip === null) throw new FieldError(path, `invalid IP address ${JSON.stringify(v)}`);
  return ip;
}

export function cidrAt(v: unknown, path: string): Cidr {
  if (typeof v !== 'string') throw new FieldError(path, `expected a CIDR, got ${describe(v)}`);
  const c = parseCidr(v);
  if (c === null) throw new FieldError(path, `invalid CIDR ${JSON.stringify(v)}`);
  return c;
}

export function cidrListAt(parent: Obj, key: string, path: string): Cidr[] {
  return listAt(parent, key, path).map((v, i) => cidrAt(v, join(join(path, key), i)));
}

export function timestampAt(meta: Obj, key: string, path: string): number | null {
  const v = meta[key];
  if (v === undefined || v === null) return null;
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new FieldError(join(path, key), `invalid timestamp ${describe(v)}`);
  return t;
}

// Selectors
