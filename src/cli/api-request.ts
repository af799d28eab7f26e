/**
 * What CLI commands that work through the segflow API share: the token (SEGFLOW_API_TOKEN or the
 * first line of --token-file, never argv) and a JSON POST whose failures come back as one line
 * naming the URL and the API's error code and message.
 */
import { readFile } from 'node:fs/promises';

/** The API's token: the first line of `tokenFile`, else SEGFLOW_API_TOKEN; undefined when neither. */
export async function apiToken(tokenFile: string | undefined): Promise<string | undefined> {
  if (tokenFile !== undefined) {
    const text = await readFile(tokenFile, 'utf8').catch((e: NodeJS.ErrnoException) => { throw new Error(`--token-file ${tokenFile}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`); });
    const token = text.split(/\r?\n/)[0]?.trim();
    if (!token) throw new Error(`--token-file ${tokenFile}: empty`);
    return token;
  }
  const env = process.env.SEGFLOW_API_TOKEN?.trim();
  return env ? env : undefined;
}

/** POSTs `body` as JSON to `<apiUrl><path>`; the parsed answer, or an Error with the API's reason. */
export async function postApi<T>(apiUrl: string, path: string, body: unknown, token: string | undefined): Promise<T> {
  const url = `${apiUrl.replace(/\/+$/, '')}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(`${url}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, { cause: err });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const e = (json as { error?: { message?: string; code?: string; parameter?: string } }).error;
    throw new Error(`${url}: HTTP ${response.status} ${e?.code ?? ''}: ${e?.message ?? text.slice(0, 200)}`);
  }
  return json as T;
}
