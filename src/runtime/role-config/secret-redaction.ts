/**
 * Keeps secrets out of every line segflow writes. Each secret a role loads is registered here;
 * `redactSecrets` replaces every registered value (raw and JSON-escaped, since log lines are
 * JSON) and the credentials part of any URL (`scheme://user:pass@host`) with `<redacted>`.
 * The logger runs every line through it, and role commands run their error messages through it,
 * so a library error that quotes a URL or a header cannot leak a credential.
 */

const registered = new Set<string>();
// Longest first, so a secret that contains another is replaced whole.
let ordered: string[] = [];

/** The text that stands in for a secret. */
export const REDACTED = '<redacted>';

/** Registers a secret value for redaction (process-wide; empty values are ignored). */
export function registerSecret(value: string): void {
  if (value.length === 0 || registered.has(value)) return;
  registered.add(value);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) registered.add(escaped);
  ordered = [...registered].sort((a, b) => b.length - a.length);
}

// userinfo of a URL: what lies between `//` and `@` without a slash, space or quote in between.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]+@/gi;

/** `text` with every registered secret and every URL's credentials replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  let out = text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Rewrites an error's message and stack in place (its class and fields stay, for callers that inspect them). */
export function redactError<T>(error: T): T {
  if (error instanceof Error) {
    try {
      error.message = redactSecrets(error.message);
      if (error.stack !== undefined) error.stack = redactSecrets(error.stack);
    } catch {
      // A library error with a read-only message: the top-level handler redacts what it prints.
    }
  }
  return error;
}

/** Forgets every registered secret (unit tests only). */
export function clearRegisteredSecretsForTest(): void {
  registered.clear();
  ordered = [];
}
