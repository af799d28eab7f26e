/**
 * A secret loaded for a role (a password, API key, token), with where it came from. The value is
 * reachable only through `reveal()`; printing, logging or JSON-serialising the object shows
 * `<redacted from file /path>` instead, so a settings object can be logged whole without leaking.
 */
import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { registerSecret } from './secret-redaction.ts';

/** Where a secret came from: this is what `--print-config` and error messages show instead of it. */
export type SecretOrigin =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'argv'; readonly option: string }
  | { readonly kind: 'config'; readonly file: string; readonly key: string }
  | { readonly kind: 'url'; readonly option: string };

/** `<redacted from file /run/secrets/x>`, `<redacted from env X>`, ... */
export function describeSecretOrigin(origin: SecretOrigin): string {
  switch (origin.kind) {
    case 'file': return `<redacted from file ${origin.path}>`;
    case 'env': return `<redacted from env ${origin.name}>`;
    case 'argv': return `<redacted from the command line ${origin.option}>`;
    case 'config': return `<redacted from config file ${origin.file} key ${origin.key}>`;
    case 'url': return `<redacted from the URL of ${origin.option}>`;
  }
}

export class Secret {
  readonly #value: string;
  readonly origin: SecretOrigin;

  constructor(value: string, origin: SecretOrigin) {
    this.#value = value;
    this.origin = origin;
    registerSecret(value);
  }

  /** The secret itself: only for handing it to the client that sends it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return describeSecretOrigin(this.origin);
  }

  toJSON(): string {
    return describeSecretOrigin(this.origin);
  }

  [inspect.custom](): string {
    return describeSecretOrigin(this.origin);
  }
}

/**
 * Reads a secret file. Trailing line breaks are dropped (`echo secret > file` adds one); an
 * empty file is an error, since an empty password is never what was meant.
 */
export async function readSecretFile(path: string, what: string): Promise<Secret> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${what}: cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`, { cause: error });
  }
  const value = text.replace(/(\r?\n)+$/, '');
  if (value.length === 0) throw new Error(`${what}: ${path} is empty`);
  return new Secret(value, { kind: 'file', path });
}

/** A secret from the environment, or undefined when the variable is unset or empty. */
export function secretFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Secret | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : new Secret(value, { kind: 'env', name });
}
