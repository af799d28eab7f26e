/**
 * The one place segflow builds Elasticsearch clients. @elastic/elasticsearch 8.19 sends
 * `compatible-with=8` headers, which Elasticsearch 8.x and 9.x both accept.
 */
import { Client, type ClientOptions } from '@elastic/elasticsearch';

/** Creates a client for `url` (credentials may be embedded: http://user:pass@host:9200). */
export function createElasticsearchClient(url: string, overrides: Partial<ClientOptions> = {}): Client {
  return new Client({ node: url, requestTimeout: 60_000, maxRetries: 3, ...overrides });
}
