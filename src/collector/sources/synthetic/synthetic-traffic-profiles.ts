/**
 * How much a connection carries and how long it lives, by the kind of service it reaches. The
 * figures are typical of what flow logs of a small microservice shop show: HTTP APIs with
 * short request/response connections (a few keep-alive ones), TLS with a handshake of a few
 * kilobytes, database and cache clients that also hold pooled connections open for minutes,
 * exchanging many small messages, DNS as one datagram each way. Pools are opened rarely and
 * reused, so even for databases most *new* connections are short ones.
 */
import type { NamedPort } from '../../../inventory/model/resources.ts';

/** Traffic shape of connections to one kind of service. */
export interface TrafficProfile {
  /** Short name, for status output and tests. */
  readonly name: 'http' | 'https' | 'database' | 'cache' | 'dns' | 'generic';
  /** Share of connections kept open for minutes (pooled / keep-alive clients). */
  readonly longLivedShare: number;
  /** Duration of a short connection, ms (log-uniform). */
  readonly shortDurationMs: readonly [number, number];
  /** Request/response exchanges of a short connection (uniform). */
  readonly shortExchanges: readonly [number, number];
  /** Lifetime of a long-lived connection, ms (log-uniform). */
  readonly longLifetimeMs: readonly [number, number];
  /** Exchanges per second on a long-lived connection while it is busy (log-uniform). */
  readonly longExchangesPerSecond: readonly [number, number];
  /** Share of report intervals in which a long-lived connection is idle (pools hold spare connections). */
  readonly idleShare: number;
  /** Request payload, bytes (log-uniform). */
  readonly requestBytes: readonly [number, number];
  /** Response payload, bytes (log-uniform). */
  readonly responseBytes: readonly [number, number];
  /** Extra payload of the first exchange (TLS handshake), bytes: [client, server]. */
  readonly handshakeBytes: readonly [number, number];
}

const PROFILES: Readonly<Record<TrafficProfile['name'], TrafficProfile>> = {
  http: {
    name: 'http', longLivedShare: 0.05, shortDurationMs: [4, 1500], shortExchanges: [1, 3], longLifetimeMs: [30_000, 300_000],
    longExchangesPerSecond: [0.2, 20], idleShare: 0.2, requestBytes: [150, 4000], responseBytes: [200, 60_000], handshakeBytes: [0, 0],
  },
  https: {
    name: 'https', longLivedShare: 0.1, shortDurationMs: [10, 2000], shortExchanges: [1, 3], longLifetimeMs: [30_000, 300_000],
    longExchangesPerSecond: [0.2, 10], idleShare: 0.2, requestBytes: [200, 4000], responseBytes: [200, 30_000], handshakeBytes: [600, 5000],
  },
  database: {
    name: 'database', longLivedShare: 0.3, shortDurationMs: [10, 3000], shortExchanges: [2, 8], longLifetimeMs: [30_000, 600_000],
    longExchangesPerSecond: [0.5, 50], idleShare: 0.3, requestBytes: [60, 2000], responseBytes: [100, 200_000], handshakeBytes: [300, 1200],
  },
  cache: {
    name: 'cache', longLivedShare: 0.3, shortDurationMs: [2, 500], shortExchanges: [1, 10], longLifetimeMs: [30_000, 600_000],
    longExchangesPerSecond: [5, 500], idleShare: 0.1, requestBytes: [30, 300], responseBytes: [10, 4000], handshakeBytes: [0, 0],
  },
  dns: {
    name: 'dns', longLivedShare: 0, shortDurationMs: [1, 50], shortExchanges: [1, 1], longLifetimeMs: [1, 1],
    longExchangesPerSecond: [1, 1], idleShare: 0, requestBytes: [30, 60], responseBytes: [50, 400], handshakeBytes: [0, 0],
  },
  generic: {
    name: 'generic', longLivedShare: 0.1, shortDurationMs: [5, 2000], shortExchanges: [1, 4], longLifetimeMs: [30_000, 300_000],
    longExchangesPerSecond: [0.1, 10], idleShare: 0.3, requestBytes: [50, 3000], responseBytes: [50, 20_000], handshakeBytes: [0, 0],
  },
};

const BY_NAME: ReadonlyArray<[RegExp, TrafficProfile['name']]> = [
  [/^(https|tls|grpcs|.*-tls)$/i, 'https'],
  [/^(http|http-.*|web|grpc|api|metrics)$/i, 'http'],
  [/^(pg|postgres.*|postgresql|mysql|mariadb|mongo.*|cql|db)$/i, 'database'],
  [/^(redis|memcached?|cache)$/i, 'cache'],
  [/^(dns|dns-tcp|domain)$/i, 'dns'],
];

const BY_PORT: ReadonlyMap<number, TrafficProfile['name']> = new Map([
  [80, 'http'], [8080, 'http'], [8000, 'http'], [3000, 'http'], [9090, 'http'], [5000, 'http'],
  [443, 'https'], [8443, 'https'], [9443, 'https'],
  [5432, 'database'], [3306, 'database'], [27017, 'database'], [9042, 'database'],
  [6379, 'cache'], [11211, 'cache'],
  [53, 'dns'],
]);

/**
 * The profile of connections to `port` (protocol number and port, plus the port's name when
 * the destination declares one): by name first, since a name like `https` says more than a
 * port number, then by well-known port, else a generic request/response shape.
 */
export function trafficProfileFor(port: Pick<NamedPort, 'port'> & { name?: string | null }): TrafficProfile {
  const name = port.name ?? '';
  for (const [pattern, profile] of BY_NAME) if (pattern.test(name)) return PROFILES[profile];
  return PROFILES[BY_PORT.get(port.port) ?? 'generic'];
}
