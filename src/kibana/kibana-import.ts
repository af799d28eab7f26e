/**
 * Imports saved objects into Kibana through its saved objects API
 * (`POST [/s/<space>]/api/saved_objects/_import[?overwrite=true]`, multipart form with one
 * `.ndjson` file, `kbn-xsrf` header). Kibana answers 200 even when some objects fail; the
 * per-object errors (conflict, missing references, unsupported type, …) are turned into one
 * readable line each, and an import with any error is a failure.
 */
import { readdir, readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { parseNdjson, toNdjson, type KibanaSavedObject } from './kibana-saved-objects.ts';

/** Where and how to import. */
export interface KibanaImportOptions {
  /** Kibana base URL, e.g. http://localhost:5601 (a base path like /kibana is kept). */
  readonly url: string;
  /** Kibana space id; the default space when absent. */
  readonly space?: string;
  /** Replace objects that already exist (same type and id) instead of reporting conflicts. */
  readonly overwrite?: boolean;
  /** Basic authentication. */
  readonly username?: string;
  readonly password?: string;
  /** An Elasticsearch/Kibana API key (the base64 `id:key` form), sent as `ApiKey …`. */
  readonly apiKey?: string;
  /**
   * PEM of the CA(s) that signed Kibana's certificate, for an https URL whose certificate the
   * system's trust store does not know (a private CA, as Elastic's own setup makes).
   */
  readonly ca?: string;
  /** Request timeout; Kibana can take a while to migrate many objects. Default 60 s. */
  readonly timeoutMs?: number;
}

/** One object Kibana could not import. */
export interface KibanaImportError {
  readonly type: string;
  readonly id: string;
  readonly title?: string;
  readonly reason: string;
}

/** What Kibana did. */
export interface KibanaImportResult {
  readonly success: boolean;
  readonly successCount: number;
  readonly imported: readonly { type: string; id: string; title?: string }[];
  readonly errors: readonly KibanaImportError[];
}

/** Thrown when the import could not be carried out at all (unreachable, refused, bad answer). */
export class KibanaImportFailure extends Error {}

/** The `_import` URL for a base URL, space and overwrite flag. */
export function kibanaImportUrl(options: Pick<KibanaImportOptions, 'url' | 'space' | 'overwrite'>): URL {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new KibanaImportFailure(`--url is not a URL: ${JSON.stringify(options.url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new KibanaImportFailure(`--url must be http(s), got ${base.protocol}`);
  if (options.space !== undefined && !/^[a-z0-9_-]+$/.test(options.space)) {
    throw new KibanaImportFailure(`--space must be a Kibana space id (lower-case letters, digits, _ and -), got ${JSON.stringify(options.space)}`);
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const space = options.space && options.space !== 'default' ? `/s/${options.space}` : '';
  const url = new URL(`${prefix}${space}/api/saved_objects/_import`, base);
  if (options.overwrite) url.searchParams.set('overwrite', 'true');
  return url;
}

/** Explains one entry of Kibana's `errors` list. */
function describeError(error: Record<string, unknown>): string {
  const detail = (error.error ?? {}) as { type?: string; message?: string; references?: { type: string; id: string }[]; statusCode?: number };
  switch (detail.type) {
    case 'conflict':
      return 'already exists (run again with --overwrite to replace it)';
    case 'ambiguous_conflict':
      return 'matches several existing objects (run again with --overwrite)';
    case 'missing_references':
      return `refers to objects Kibana does not have: ${(detail.references ?? []).map((r) => `${r.type}/${r.id}`).join(', ') || '(none listed)'}`;
    case 'unsupported_type':
      return 'has a type this Kibana does not support';
    default:
      return `${detail.type ?? 'error'}${detail.statusCode ? ` ${detail.statusCode}` : ''}: ${detail.message ?? JSON.stringify(detail)}`;
  }
}

/** Sends `objects` to Kibana in one import request. */
export async function importSavedObjects(objects: readonly KibanaSavedObject<object>[], options: KibanaImportOptions): Promise<KibanaImportResult> {
  const url = kibanaImportUrl(options);
  const form = new FormData();
  form.append('file', new Blob([toNdjson(objects)], { type: 'application/ndjson' }), 'segflow.ndjson');
  const headers: Record<string, string> = { 'kbn-xsrf': 'segflow' };
  if (options.apiKey) headers.authorization = `ApiKey ${options.apiKey}`;
  else if (options.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;

  const timeoutMs = options.timeoutMs ?? 60_000;
  if (options.ca !== undefined && url.protocol !== 'https:') throw new KibanaImportFailure('--ca-file applies to an https --url only');
  let response: { ok: boolean; status: number; text: string };
  try {
    response = options.ca === undefined
      ? await fetch(url, { method: 'POST', body: form, headers, signal: AbortSignal.timeout(timeoutMs) }).then(async (r) => ({ ok: r.ok, status: r.status, text: await r.text() }))
      : await postWithCa(url, form, headers, options.ca, timeoutMs);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause ?? (err as { code?: string; message?: string });
    const why = cause.code ?? cause.message ?? (err as Error).message;
    const tlsHint = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(String(why)) ? ' (Kibana\'s certificate is not trusted: give its CA with --ca-file)' : ' (is Kibana running? with docker compose it takes a minute or two to become available)';
    throw new KibanaImportFailure(`cannot reach Kibana at ${new URL(options.url).origin}: ${why}${tlsHint}`);
  }
  const text = response.text;
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = typeof body?.message === 'string' ? body.message : text.slice(0, 300);
    const hint =
      response.status === 401 ? ' (Kibana wants credentials: --username/--password or --api-key)'
        : response.status === 403 ? ' (the user may not import saved objects into this space)'
          : response.status === 404 ? ` (no saved objects API at ${url.pathname}${options.space ? `; does space "${options.space}" exist?` : ''})`
            : response.status === 503 ? ' (Kibana is not ready yet; try again shortly)'
              : '';
    throw new KibanaImportFailure(`Kibana refused the import: HTTP ${response.status} ${message}${hint}`);
  }
  if (body === undefined || typeof body.success !== 'boolean') throw new KibanaImportFailure(`Kibana answered with something that is not an import result: ${text.slice(0, 300)}`);
  const titleOf = (entry: Record<string, unknown>): string | undefined => {
    const meta = entry.meta as { title?: unknown } | undefined;
    return typeof meta?.title === 'string' ? meta.title : typeof entry.title === 'string' ? entry.title : undefined;
  };
  const errors = ((body.errors ?? []) as Record<string, unknown>[]).map((e) => ({ type: String(e.type), id: String(e.id), title: titleOf(e), reason: describeError(e) }));
  const imported = ((body.successResults ?? []) as Record<string, unknown>[]).map((r) => ({ type: String(r.type), id: String(r.id), title: titleOf(r) }));
  return { success: body.success && errors.length === 0, successCount: Number(body.successCount ?? imported.length), imported, errors };
}

/**
 * POSTs the form over https trusting `ca`: fetch() takes no CA option, so the form is
 * serialized by the platform (same multipart body fetch would send) and sent with node:https.
 */
async function postWithCa(url: URL, form: FormData, headers: Record<string, string>, ca: string, timeoutMs: number): Promise<{ ok: boolean; status: number; text: string }> {
  const encoded = new Request(url, { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return await new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ca, headers: { ...headers, 'content-type': contentType, 'content-length': String(body.length) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Reads `.ndjson` files (a directory means every `.ndjson` in it, data-view files first so a
 * reader of the list sees dependencies before dependants). Objects that appear in several files
 * are sent once.
 */
export async function readSavedObjectFiles(paths: readonly string[]): Promise<KibanaSavedObject[]> {
  const files: string[] = [];
  for (const p of paths) {
    const entries = await readdir(p, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOTDIR') return undefined;
      throw new KibanaImportFailure(`cannot read ${p}: ${err.code ?? err.message}`);
    });
    if (entries === undefined) files.push(p);
    else {
      const names = entries.filter((e) => e.isFile() && e.name.endsWith('.ndjson')).map((e) => e.name);
      names.sort((a, b) => Number(!a.includes('data-view')) - Number(!b.includes('data-view')) || a.localeCompare(b));
      files.push(...names.map((n) => path.join(p, n)));
    }
  }
  const seen = new Map<string, KibanaSavedObject>();
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new KibanaImportFailure(`cannot read ${file}: ${err.code ?? err.message}`);
    });
    for (const object of parseNdjson(text, file)) seen.set(`${object.type}/${object.id}`, object);
  }
  if (seen.size === 0) throw new KibanaImportFailure(`no saved objects in ${paths.join(', ')}`);
  return [...seen.values()];
}
