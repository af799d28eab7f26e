/**
 * The web UI as a Fastify plugin for `segflow api`: `GET /` serves the page, `/ui/app.js` the
 * browser code (the TypeScript in `src/ui/app/`, bundled by esbuild in memory when the plugin
 * registers — about 50 ms — so there is no build step and no committed bundle to drift), and
 * `/ui/app.css` the stylesheet. The routes are public (the page carries no data; every data
 * request goes to the API with the user's token) and exempt from the API's rate limit.
 *
 *   await app.register(uiPlugin);
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

// The browser app's sources, whether this module runs from src/ui/ or compiled in dist/ui/.
const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/ui/app');

/** One served file. */
export interface UiAsset {
  readonly body: string;
  readonly contentType: string;
  readonly etag: string;
}

/** The UI's three files. */
export interface UiAssets {
  readonly html: UiAsset;
  readonly js: UiAsset;
  readonly css: UiAsset;
}

function asset(body: string, contentType: string): UiAsset {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/** Bundles `src/ui/app/main.ts` (ES2020 module, minified) and reads the page and stylesheet. */
export async function buildUiAssets(): Promise<UiAssets> {
  const result = await build({
    entryPoints: [path.join(APP_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text;
  if (js === undefined) throw new Error('ui: esbuild produced no output');
  const [html, css] = await Promise.all([readFile(path.join(APP_DIR, 'index.html'), 'utf8'), readFile(path.join(APP_DIR, 'styles.css'), 'utf8')]);
  return {
    html: asset(html, 'text/html; charset=utf-8'),
    js: asset(js, 'text/javascript; charset=utf-8'),
    css: asset(css, 'text/css; charset=utf-8'),
  };
}

/** Only our own script, styles and API; inline SVG needs no exception. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(file: UiAsset, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  void reply.header('content-type', file.contentType).header('etag', file.etag).header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff').header('content-security-policy', CONTENT_SECURITY_POLICY);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.send(file.body);
}

/**
 * Registers `GET /`, `/ui/app.js` and `/ui/app.css`. The route config marks them public (the
 * API's auth hook skips them) and turns off the per-token rate limit for static files.
 */
export const uiPlugin: FastifyPluginAsync = async (app) => {
  const assets = await buildUiAssets();
  const routeOptions = { schema: { hide: true }, config: { public: true, rateLimit: false } } as const;
  app.get('/', routeOptions, async (request, reply) => send(assets.html, request, reply));
  app.get('/ui/app.js', routeOptions, async (request, reply) => send(assets.js, request, reply));
  app.get('/ui/app.css', routeOptions, async (request, reply) => send(assets.css, request, reply));
};
