/**
 * One YAML config file per role (`--config FILE`). Keys are the role's long option names without
 * the dashes (`kafka-sasl-username: flows`, `retention-days: 14`); a negatable flag is its
 * positive name with a boolean (`http: false` for `--no-http`); a list option takes a YAML list.
 * Values go through the option's own parser and choices, so the file and the command line accept
 * exactly the same things. Checking is pure: every problem is collected, each naming the file,
 * the key and the reason, with a did-you-mean for unknown keys.
 */
import { readFile } from 'node:fs/promises';
import type { Command, Option } from 'commander';
import { isMap, isScalar, parseDocument, type Pair } from 'yaml';
import { closestName } from './did-you-mean.ts';

/** Options that steer the config machinery itself and cannot be set from a file. */
const NOT_IN_FILE = new Set(['config', 'print-config', 'help', 'version']);

/** The key an option has in a config file. */
export function configKeyOf(option: Option): string | undefined {
  if (option.long === undefined) return undefined;
  const name = option.long.replace(/^--/, '');
  const key = option.negate ? name.replace(/^no-/, '') : name;
  return NOT_IN_FILE.has(key) ? undefined : key;
}

/** One value from a config file, ready for `setOptionValueWithSource`. */
export interface ConfigAssignment {
  readonly key: string;
  /** Commander's attribute name (`kafkaSaslUsername`). */
  readonly attribute: string;
  readonly value: unknown;
}

export class RoleConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  ${problems.join('\n  ')}`);
    this.name = 'RoleConfigError';
  }
}

type Scalar = string | number | boolean;

function parseOne(option: Option, raw: Scalar, previous: unknown): unknown {
  const text = String(raw);
  if (option.argChoices !== undefined && !option.argChoices.includes(text)) {
    throw new Error(`expected one of ${option.argChoices.join(', ')}, got ${JSON.stringify(text)}`);
  }
  if (option.parseArg !== undefined) return option.parseArg(text, previous);
  if (option.variadic) return [...(Array.isArray(previous) ? previous as unknown[] : []), text];
  return text;
}

function describeYamlValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : JSON.stringify(value);
}

/** Converts one file value for `option`; throws with the reason. */
function convertValue(option: Option, value: unknown): unknown {
  if (option.isBoolean() || option.negate) {
    if (typeof value !== 'boolean') throw new Error(`expected true or false, got ${describeYamlValue(value)}`);
    // --no-x stores false under x; a plain flag stores true. A file saying `x: false` for a plain flag means "off".
    return value;
  }
  const isScalarValue = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (option.variadic) {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) throw new Error('expected a non-empty list');
    let acc: unknown = undefined;
    list.forEach((item, i) => {
      if (!isScalarValue(item)) throw new Error(`item ${i}: expected a string or number, got ${describeYamlValue(item)}`);
      acc = parseOne(option, item, acc);
    });
    return acc;
  }
  if (!isScalarValue(value)) throw new Error(`expected a string or number, got ${describeYamlValue(value)}`);
  return parseOne(option, value, option.defaultValue);
}

/**
 * Checks a config document against `command`'s options.
 * @returns the assignments and every problem found (`file: key: reason`).
 */
export function checkConfigDocument(doc: unknown, command: Command, file: string): { assignments: ConfigAssignment[]; problems: string[] } {
  const problems: string[] = [];
  const assignments: ConfigAssignment[] = [];
  if (doc === null || doc === undefined) return { assignments, problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { assignments, problems: [`${file}: expected a mapping of option names to values, got ${describeYamlValue(doc)}`] };
  }
  const byKey = new Map<string, Option>();
  for (const option of command.options) {
    const key = configKeyOf(option);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, option);
  }
  const known = [...byKey.keys()].sort();
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const option = byKey.get(key);
    if (option === undefined) {
      const suggestion = closestName(key, known);
      const why = NOT_IN_FILE.has(key) ? 'only on the command line' : 'unknown key';
      problems.push(`${file}: ${key}: ${why}${suggestion && !NOT_IN_FILE.has(key) ? ` (did you mean ${suggestion}?)` : ''}`);
      continue;
    }
    try {
      assignments.push({ key, attribute: option.attributeName(), value: convertValue(option, value) });
    } catch (error) {
      problems.push(`${file}: ${key}: ${(error as Error).message}`);
    }
  }
  return { assignments, problems };
}

/** Parses YAML text; syntax errors (all of them, with line and column) become problems. */
export function parseConfigText(text: string, file: string): { doc: unknown; problems: string[] } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return {
      doc: undefined,
      problems: document.errors.map((e) => `${file}${e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : ''}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`),
    };
  }
  // Keys that are not plain strings (`1: x`, `[a]: b`) would be stringified silently; say so instead.
  const problems: string[] = [];
  if (isMap(document.contents)) {
    for (const pair of document.contents.items as Pair[]) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string') problems.push(`${file}: ${String(pair.key)}: keys must be option names`);
    }
  }
  return { doc: problems.length > 0 ? undefined : document.toJS(), problems };
}

/** Reads and checks a role's config file; throws a RoleConfigError listing every problem. */
export async function loadConfigFile(path: string, command: Command): Promise<ConfigAssignment[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RoleConfigError([`--config ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`]);
  }
  const parsed = parseConfigText(text, path);
  if (parsed.problems.length > 0) throw new RoleConfigError(parsed.problems);
  const { assignments, problems } = checkConfigDocument(parsed.doc, command, path);
  if (problems.length > 0) throw new RoleConfigError(problems);
  return assignments;
}
