/**
 * The one error type of the selector language.
 *
 * Callers (policy loading, the API) need to point a user at the offending character, so the
 * error carries the source text and a 1-based column besides the human-readable reason.
 */

/** Renders control characters visibly so a selector with a stray newline cannot split a log line. */
function printable(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if ((c < 0x20 && c !== 0x09) || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += text[i];
  }
  return out;
}

/**
 * Thrown for a selector that Calico would reject.
 *
 * `column` is 1-based, counted in UTF-16 code units into `selector` (identical to bytes for the
 * ASCII that selector syntax is made of); an error "at the end" points one past the last character.
 * The message reads e.g. `selector 'a == ' column 6: expected a quoted string after '=='`.
 */
export class SelectorError extends Error {
  readonly selector: string;
  readonly column: number;
  readonly reason: string;

  constructor(selector: string, column: number, reason: string) {
    super(`selector '${printable(selector)}' column ${column}: ${reason}`);
    this.name = 'SelectorError';
    this.selector = selector;
    this.column = column;
    this.reason = reason;
  }
}
