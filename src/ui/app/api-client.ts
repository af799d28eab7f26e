/// <reference lib="dom" />
/**
 * The UI's only way to the server: the public HTTP API under /api/v1, with the bearer token the
 * user entered (kept in localStorage) when the API requires one. Errors come back as
 * {@link ApiRequestError} carrying the API's error code and message.
 */

const TOKEN_KEY = 'segflow.apiToken';

/** An API error response (or a network failure, status 0). */
export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The stored API token, if any. */
export function apiToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

/** Stores (or with an empty value, forgets) the API token. */
export function setApiToken(token: string): void {
  if (token.trim() === '') localStorage.removeItem(TOKEN_KEY);
  else localStorage.setItem(TOKEN_KEY, token.trim());
}

/** Query parameters: empty values are left out so the API applies its defaults. */
export type Params = Record<string, string | number | undefined | null>;

function queryString(params: Params): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v).trim() !== '') search.set(k, String(v).trim());
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: 'GET' | 'POST', path: string, params: Params, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = apiToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${queryString(params)}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    throw new ApiRequestError(0, 'network', `the API cannot be reached (${(err as Error).message})`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiRequestError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? (text.slice(0, 200) || response.statusText));
  }
  return json as T;
}

/** GET /api/v1{path}?params. */
export function apiGet<T>(path: string, params: Params = {}): Promise<T> {
  return request<T>('GET', path, params);
}

/** POST /api/v1{path} with a JSON body. */
export function apiPost<T>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', path, {}, body);
}
