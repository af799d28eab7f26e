/**
 * Load problems. Every issue names where it happened (file, 1-based document number within the
 * file, field path inside the document) and why; selector problems also carry the 1-based column
 * inside the selector text.
 */

export type IssueSeverity = 'error' | 'warning';

export interface LoadIssue {
  readonly severity: IssueSeverity;
  /** File name as given to the loader (or a label such as `<stdin>`). */
  readonly file: string;
  /** 1-based document number within the file (multi-document YAML); 0 for file-level problems. */
  readonly document: number;
  /** Field path inside the document, e.g. `spec.ingress[0].source.selector`; `` for the document itself. */
  readonly path: string;
  readonly reason: string;
  /** 1-based column inside a selector, for selector errors. */
  readonly column?: number;
  /** `file: document N: path: reason`, one line. */
  readonly message: string;
}

/** `file: document N: path: reason` (document 0 = the file itself, e.g. unreadable). */
export function formatIssue(file: string, document: number, path: string, reason: string): string {
  return `${file}${document > 0 ? `: document ${document}` : ''}${path ? `: ${path}` : ''}: ${reason}`;
}

export function makeIssue(severity: IssueSeverity, file: string, document: number, path: string, reason: string, column?: number): LoadIssue {
  const issue: LoadIssue = { severity, file, document, path, reason, message: formatIssue(file, document, path, reason) };
  return column === undefined ? issue : { ...issue, column };
}

/** Thrown inside the resource parser for the first invalid field of a document. */
export class FieldError extends Error {
  readonly path: string;
  readonly reason: string;
  readonly column: number | undefined;

  constructor(path: string, reason: string, column?: number) {
    super(`${path}: ${reason}`);
    this.name = 'FieldError';
    this.path = path;
    this.reason = reason;
    this.column = column;
  }
}

/** Raised by strict loading when any error was found; carries every issue. */
export class ResourceLoadError extends Error {
  readonly issues: readonly LoadIssue[];

  constructor(issues: readonly LoadIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0] ?? issues[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    super(`${first ? first.message : 'invalid resources'}${more}`);
    this.name = 'ResourceLoadError';
    this.issues = issues;
  }
}
