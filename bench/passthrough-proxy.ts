/**
 * The floor of an HTTP hop written in Node.js, for `npm run bench -- api`: a process that
 * forwards each request's bytes to Elasticsearch and the answer's bytes back, parsing neither,
 * with no routing, validation, auth, metrics or logging. It uses the same HTTP client library
 * as the Elasticsearch client (undici) and Node's HTTP server, as the API does.
 *
 * The bench sends the direct queries through it too, so every run shows how much of the API's
 * added latency any Node.js process between the caller and Elasticsearch would add on this
 * machine, and how much is the API's own work.
 *
 * Usage: node --import tsx bench/passthrough-proxy.ts <elasticsearch-url>; prints the port it
 * listens on (loopback) as its first line.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const target = process.argv[2];
if (target === undefined) throw new Error('usage: passthrough-proxy.ts <elasticsearch-url>');
const pool = new Pool(target, { connections: 32 });

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const contentType = request.headers['content-type'];
    // Accept too: the Elasticsearch client's compatibility media type must come with both headers.
    const accept = request.headers.accept;
    pool.request({
      path: request.url ?? '/', method: request.method === 'POST' ? 'POST' : 'GET',
      headers: { ...(contentType === undefined ? {} : { 'content-type': contentType }), ...(accept === undefined ? {} : { accept }) },
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    }).then(async (answer) => {
      const body = Buffer.from(await answer.body.arrayBuffer());
      const product = answer.headers['x-elastic-product'];
      response.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json'), 'content-length': body.length, ...(product === undefined ? {} : { 'x-elastic-product': String(product) }) });
      response.end(body);
    }).catch((err: unknown) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(err));
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
// Nothing to drain: the bench stops it after its last request.
process.on('SIGTERM', () => process.exit(0));
