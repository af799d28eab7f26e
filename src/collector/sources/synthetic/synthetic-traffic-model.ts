/**
 * The synthetic traffic model: connections drawn from a {@link SyntheticTrafficPlan}, simulated
 * in virtual time and reported the way the conntrack source reports real ones.
 *
 * - Connections arrive as a Poisson process at `connectionsPerSecond`; a share of them arrives
 *   in bursts (a client firing tens of connections at one destination within a second or two).
 * - A share `denyShare` is drawn from the routes the policies deny. Those are reported as a real
 *   dataplane would see them: SYN retransmissions and nothing back (`unreplied`, no reply
 *   packets or bytes), `dataplaneVerdict: 'deny'`, the denying policy hit as the rule hint.
 * - Allowed connections are short (request/response, reported `new` then `destroy`) or
 *   long-lived (pooled database and cache clients, keep-alive HTTP: `new`, an `update` at every
 *   report interval, `destroy`). Every report carries packet and byte *deltas*: the model keeps
 *   each connection's cumulative counters as the kernel would and reports what grew since the
 *   previous report, so the deltas of a connection add up to its totals.
 * - Counters follow TCP: handshake, data segments of at most one MSS, delayed ACKs, FIN
 *   teardown, 52-byte headers (IPv4 + TCP with timestamps), 60-byte SYNs. Ephemeral source ports
 *   come from Linux's default range, conntrack ids increase, TCP states follow the connection.
 * - Services are dialled at their cluster IP and port; the reply tuple comes from the backend's
 *   address and target port, as conntrack shows DNAT.
 *
 * Deterministic: the same plan, options and sequence of {@link SyntheticTrafficGenerator.advanceTo}
 * calls yield the same records. Nothing here reads clocks or does I/O.
 */
import type { FlowRecordData, TcpState } from '../../../contract/wire/flow-batch-codec.ts';
import { ipToBytes } from '../../../contract/wire/ip-address-bytes.ts';
import { SeededRandom, WeightedPicker } from './seeded-random.ts';
import type { SyntheticRoute, SyntheticTrafficPlan } from './synthetic-traffic-plan.ts';

const TCP = 6;
/** IPv4 + TCP header with the timestamp option, as on every Linux data segment. */
const TCP_HEADER_BYTES = 52;
/** SYN / SYN-ACK: IPv4 + TCP with MSS, SACK, timestamps and window scale options. */
const TCP_SYN_BYTES = 60;
/** IPv4 + UDP header. */
const UDP_HEADER_BYTES = 28;
/** Payload per TCP segment (1500-byte MTU minus the 52 bytes of headers). */
const TCP_MSS = 1448;
/** Payload per UDP datagram before fragmentation. */
const UDP_MAX_PAYLOAD = 1472;
/** Linux `net.ipv4.ip_local_port_range` default. */
const EPHEMERAL_PORT_MIN = 32768;
const EPHEMERAL_PORT_MAX = 60999;
/** When a denied client retransmits (Linux SYN backoff: 1 s, then 2 s more), ms after the first attempt. */
const DENIED_RETRY_OFFSETS_MS: readonly number[] = [1000, 3000];
/** A denied connection attempt is given up this long after the first packet (plus up to a second). */
const DENIED_GIVE_UP_MS = 3500;
/** Burst sizes, connections (uniform). */
const BURST_SIZE: readonly [number, number] = [10, 50];
/** Time a burst is spread over, ms (uniform). */
const BURST_SPREAD_MS: readonly [number, number] = [300, 3000];
/** Beyond this many exchanges in one interval, a sample of this many is drawn and scaled. */
const EXCHANGE_SAMPLE_LIMIT = 24;

/** Options of {@link SyntheticTrafficGenerator}. */
export interface SyntheticTrafficOptions {
  /** Node name written into every record. */
  readonly nodeName: string;
  /** Seed of every random draw. */
  readonly seed: number;
  /** Mean new connections per second, bursts included (each gives 2 or more records). */
  readonly connectionsPerSecond: number;
  /** Share of connections drawn from denied routes, 0..1. Default 0.1. */
  readonly denyShare?: number;
  /** Share of connections that arrive in bursts, 0..1. Default 0.15. */
  readonly burstShare?: number;
  /** Report interval of long-lived connections (the conntrack snapshot interval), ms. Default 10 000. */
  readonly reportIntervalMs?: number;
  /** Start of virtual time, Unix ms. */
  readonly startTimeMs: number;
  /** Most connections open at once; past it new connections are short ones. Default 50 000. */
  readonly maxLiveConnections?: number;
  /** Called with a connection's totals when it closes (its `destroy` record was produced). */
  readonly onConnectionClosed?: (totals: SyntheticConnectionTotals) => void;
}

/** Packet and byte counters of one connection, by direction. */
export interface ConnectionCounters {
  originalPackets: number;
  originalBytes: number;
  replyPackets: number;
  replyBytes: number;
}

/** What a connection carried over its whole life. */
export interface SyntheticConnectionTotals extends Readonly<ConnectionCounters> {
  readonly conntrackId: number;
  readonly route: SyntheticRoute;
  readonly openedAtMs: number;
  readonly closedAtMs: number;
  readonly longLived: boolean;
  /** Records produced for it (new + updates + destroy). */
  readonly records: number;
}

/** Counts since the generator was created. */
export interface SyntheticTrafficStats {
  connectionsOpened: number;
  allowedConnections: number;
  deniedConnections: number;
  serviceConnections: number;
  longLivedConnections: number;
  bursts: number;
  records: number;
  liveConnections: number;
}

interface Connection {
  readonly id: number;
  readonly route: SyntheticRoute;
  readonly srcPort: number;
  readonly openedAtMs: number;
  readonly closeAtMs: number;
  readonly longLived: boolean;
  readonly denied: boolean;
  /** Exchanges of a short connection, spread evenly over its life. */
  readonly plannedExchanges: number;
  exchangesDone: number;
  retriesDone: number;
  handshakeDone: boolean;
  lastAccrualMs: number;
  readonly cumulative: ConnectionCounters;
  readonly reported: ConnectionCounters;
  records: number;
}

type ScheduledEvent =
  | { readonly atMs: number; readonly order: number; readonly kind: 'open'; readonly route: SyntheticRoute }
  | { readonly atMs: number; readonly order: number; readonly kind: 'report' | 'close'; readonly connection: Connection };

/** Min-heap of scheduled events by time, then by scheduling order (which keeps ties deterministic). */
class EventQueue {
  private readonly items: ScheduledEvent[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): ScheduledEvent | undefined {
    return this.items[0];
  }

  push(event: ScheduledEvent): void {
    const items = this.items;
    items.push(event);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!EventQueue.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): ScheduledEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && EventQueue.before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && EventQueue.before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }

  private static before(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
  }
}

/** Unix ms (possibly fractional) → Unix ns, exactly (a float product would lose the low digits). */
function msToNanos(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.min(999_999, Math.round((ms - whole) * 1e6)));
}

function zeroCounters(): ConnectionCounters {
  return { originalPackets: 0, originalBytes: 0, replyPackets: 0, replyBytes: 0 };
}

/** Generates the records of simulated traffic; see the module comment. */
export class SyntheticTrafficGenerator {
  private readonly random: SeededRandom;
  private readonly allowed: WeightedPicker<SyntheticRoute>;
  private readonly denied: WeightedPicker<SyntheticRoute>;
  private readonly denyShare: number;
  private readonly reportIntervalMs: number;
  private readonly maxLive: number;
  private readonly meanArrivalGapMs: number;
  private readonly meanBurstGapMs: number;
  private readonly queue = new EventQueue();
  private readonly live = new Map<number, Connection>();
  private readonly nextEphemeralPort = new Map<string, number>();
  private readonly ipBytes = new Map<string, Uint8Array>();
  private nextArrivalMs: number;
  private nextBurstMs: number;
  private nextConntrackId: number;
  private eventOrder = 0;
  private clockMs: number;
  private readonly counts: Omit<SyntheticTrafficStats, 'liveConnections'> = {
    connectionsOpened: 0, allowedConnections: 0, deniedConnections: 0, serviceConnections: 0, longLivedConnections: 0, bursts: 0, records: 0,
  };

  constructor(
    plan: SyntheticTrafficPlan,
    private readonly options: SyntheticTrafficOptions,
  ) {
    const rate = options.connectionsPerSecond;
    const denyShare = options.denyShare ?? 0.1;
    const burstShare = options.burstShare ?? 0.15;
    if (!(rate >= 0) || !Number.isFinite(rate)) throw new Error(`connectionsPerSecond must be a finite number >= 0, got ${rate}`);
    if (!(denyShare >= 0 && denyShare <= 1)) throw new Error(`denyShare must be in 0..1, got ${denyShare}`);
    if (!(burstShare >= 0 && burstShare < 1)) throw new Error(`burstShare must be in 0..1 (exclusive), got ${burstShare}`);
    if (!options.nodeName) throw new Error('nodeName is empty');
    this.allowed = new WeightedPicker(plan.allowed, (r) => r.weight);
    this.denied = new WeightedPicker(plan.denied, (r) => r.weight);
    if (this.allowed.isEmpty && this.denied.isEmpty) {
      throw new Error('the inventory yields no route to simulate: it needs endpoints with addresses, and servers that declare ports (or Services with backends)');
    }
    this.denyShare = this.denied.isEmpty ? 0 : this.allowed.isEmpty ? 1 : denyShare;
    this.reportIntervalMs = options.reportIntervalMs ?? 10_000;
    if (!(this.reportIntervalMs > 0)) throw new Error(`reportIntervalMs must be > 0, got ${this.reportIntervalMs}`);
    this.maxLive = options.maxLiveConnections ?? 50_000;
    this.random = new SeededRandom(options.seed);
    this.nextConntrackId = this.random.integer(1, 0x7fffffff);
    const meanBurstSize = (BURST_SIZE[0] + BURST_SIZE[1]) / 2;
    this.meanArrivalGapMs = rate > 0 ? 1000 / (rate * (1 - burstShare)) : Infinity;
    this.meanBurstGapMs = rate > 0 && burstShare > 0 ? (1000 * meanBurstSize) / (rate * burstShare) : Infinity;
    this.clockMs = options.startTimeMs;
    this.nextArrivalMs = this.clockMs + this.random.exponential(this.meanArrivalGapMs);
    this.nextBurstMs = this.clockMs + this.random.exponential(this.meanBurstGapMs);
  }

  /** Virtual time reached so far, Unix ms. */
  get timeMs(): number {
    return this.clockMs;
  }

  /** Counts so far. */
  stats(): SyntheticTrafficStats {
    return { ...this.counts, liveConnections: this.live.size };
  }

  /**
   * Simulates up to `timeMs` (Unix ms) and returns the records of everything that happened since
   * the previous call, in time order. With `arrivals: false` no connection starts in that span
   * (connections already open still report and close): for catching up after a long stall
   * without a flood of back-dated traffic.
   */
  advanceTo(timeMs: number, { arrivals = true }: { arrivals?: boolean } = {}): FlowRecordData[] {
    if (timeMs < this.clockMs) return [];
    if (!arrivals) {
      this.nextArrivalMs = Math.max(this.nextArrivalMs, timeMs + this.random.exponential(this.meanArrivalGapMs));
      this.nextBurstMs = Math.max(this.nextBurstMs, timeMs + this.random.exponential(this.meanBurstGapMs));
    }
    const out: FlowRecordData[] = [];
    for (;;) {
      const scheduled = this.queue.peek();
      const scheduledAt = scheduled?.atMs ?? Infinity;
      const next = Math.min(this.nextArrivalMs, this.nextBurstMs, scheduledAt);
      if (next > timeMs) break;
      if (next === this.nextArrivalMs) {
        this.open(this.pickRoute(), next, false, out);
        this.nextArrivalMs += this.random.exponential(this.meanArrivalGapMs);
      } else if (next === this.nextBurstMs) {
        this.scheduleBurst(next);
        this.nextBurstMs += this.random.exponential(this.meanBurstGapMs);
      } else {
        const event = this.queue.pop()!;
        if (event.kind === 'open') this.open(event.route, event.atMs, true, out);
        else if (event.kind === 'report') this.report(event.connection, event.atMs, out);
        else this.close(event.connection, event.atMs, out);
      }
    }
    this.clockMs = timeMs;
    this.counts.records += out.length;
    return out;
  }

  /**
   * Reports what every open connection carried since its last report, as `update` records at
   * `timeMs` (simulating up to it first). For a source that stops: nothing counted is left unsaid.
   */
  reportOpenConnections(timeMs: number): FlowRecordData[] {
    const out = this.advanceTo(timeMs);
    const at = Math.max(timeMs, this.clockMs);
    const before = out.length;
    for (const connection of this.live.values()) {
      this.accrue(connection, at, false);
      if (this.hasGrown(connection)) out.push(this.record(connection, 'update', at));
    }
    this.counts.records += out.length - before;
    return out;
  }

  private pickRoute(): SyntheticRoute {
    return this.random.chance(this.denyShare) ? this.denied.pick(this.random) : this.allowed.pick(this.random);
  }

  /** A burst: one route, tens of short connections spread over a second or two. */
  private scheduleBurst(atMs: number): void {
    const route = this.pickRoute();
    const size = this.random.integer(BURST_SIZE[0], BURST_SIZE[1]);
    const spread = this.random.integer(BURST_SPREAD_MS[0], BURST_SPREAD_MS[1]);
    for (let i = 0; i < size; i++) this.schedule({ atMs: atMs + this.random.next() * spread, kind: 'open', route });
    this.counts.bursts++;
  }

  private schedule(event: { atMs: number; kind: 'open'; route: SyntheticRoute } | { atMs: number; kind: 'report' | 'close'; connection: Connection }): void {
    this.queue.push({ ...event, order: this.eventOrder++ } as ScheduledEvent);
  }

  private ephemeralPort(clientIp: string): number {
    // Linux hands out ports from a per-destination offset; successive connections of one client
    // get nearby, increasing ports, which is what this imitates.
    const range = EPHEMERAL_PORT_MAX - EPHEMERAL_PORT_MIN + 1;
    const previous = this.nextEphemeralPort.get(clientIp) ?? EPHEMERAL_PORT_MIN + this.random.integer(0, range - 1);
    const port = EPHEMERAL_PORT_MIN + ((previous - EPHEMERAL_PORT_MIN + this.random.integer(1, 7)) % range);
    this.nextEphemeralPort.set(clientIp, port);
    return port;
  }

  private open(route: SyntheticRoute, atMs: number, short: boolean, out: FlowRecordData[]): void {
    const denied = route.verdict === 'deny';
    const profile = route.profile;
    const longLived = !denied && !short && this.live.size < this.maxLive && this.random.chance(profile.longLivedShare);
    const lifetime = denied
      ? DENIED_GIVE_UP_MS + this.random.next() * 1000
      : longLived ? this.random.logUniform(...profile.longLifetimeMs) : this.random.logUniform(...profile.shortDurationMs);
    const id = this.nextConntrackId;
    this.nextConntrackId = this.nextConntrackId >= 0xffffffff ? 1 : this.nextConntrackId + 1;
    const connection: Connection = {
      id, route, srcPort: this.ephemeralPort(route.client.ip), openedAtMs: atMs, closeAtMs: atMs + lifetime, longLived, denied,
      plannedExchanges: longLived || denied ? 0 : this.random.integer(...profile.shortExchanges),
      exchangesDone: 0, retriesDone: 0, handshakeDone: false, lastAccrualMs: atMs,
      cumulative: zeroCounters(), reported: zeroCounters(), records: 0,
    };
    // The first packet: a SYN for TCP, the first request datagram for UDP.
    if (route.protocol === TCP) this.add(connection.cumulative, 1, TCP_SYN_BYTES, 0, 0);
    else this.add(connection.cumulative, 1, UDP_HEADER_BYTES + Math.round(this.random.logUniform(...profile.requestBytes)), 0, 0);
    this.live.set(id, connection);
    this.counts.connectionsOpened++;
    if (denied) this.counts.deniedConnections++;
    else this.counts.allowedConnections++;
    if (route.kind === 'service') this.counts.serviceConnections++;
    if (longLived) this.counts.longLivedConnections++;
    out.push(this.record(connection, 'new', atMs));
    this.scheduleNext(connection, atMs);
  }

  /** The next report at the report-interval grid (snapshots are node-wide ticks), or the close. */
  private scheduleNext(connection: Connection, afterMs: number): void {
    const nextReport = (Math.floor(afterMs / this.reportIntervalMs) + 1) * this.reportIntervalMs;
    if (nextReport < connection.closeAtMs) this.schedule({ atMs: nextReport, kind: 'report', connection });
    else this.schedule({ atMs: connection.closeAtMs, kind: 'close', connection });
  }

  private report(connection: Connection, atMs: number, out: FlowRecordData[]): void {
    if (!this.live.has(connection.id)) return;
    this.accrue(connection, atMs, false);
    // Like the conntrack source, an interval in which nothing moved is not reported.
    if (this.hasGrown(connection)) out.push(this.record(connection, 'update', atMs));
    this.scheduleNext(connection, atMs);
  }

  private close(connection: Connection, atMs: number, out: FlowRecordData[]): void {
    this.accrue(connection, atMs, true);
    if (!connection.denied && connection.route.protocol === TCP) {
      // FIN from the client, FIN-ACK back, the client's last ACK.
      this.add(connection.cumulative, 2, 2 * TCP_HEADER_BYTES, 1, TCP_HEADER_BYTES);
    }
    out.push(this.record(connection, 'destroy', atMs));
    this.live.delete(connection.id);
    this.options.onConnectionClosed?.({
      conntrackId: connection.id, route: connection.route, openedAtMs: connection.openedAtMs, closedAtMs: atMs,
      longLived: connection.longLived, records: connection.records, ...connection.cumulative,
    });
  }

  /** Grows the connection's cumulative counters by what happened up to `untilMs`. */
  private accrue(connection: Connection, untilMs: number, final: boolean): void {
    const { route } = connection;
    const tcp = route.protocol === TCP;
    if (connection.denied) {
      // Nothing comes back; the client retransmits its first packet with exponential backoff.
      while (connection.retriesDone < DENIED_RETRY_OFFSETS_MS.length && connection.openedAtMs + DENIED_RETRY_OFFSETS_MS[connection.retriesDone]! <= untilMs) {
        this.add(connection.cumulative, 1, tcp ? TCP_SYN_BYTES : connection.cumulative.originalBytes / Math.max(1, connection.cumulative.originalPackets), 0, 0);
        connection.retriesDone++;
      }
      connection.lastAccrualMs = untilMs;
      return;
    }
    if (tcp && !connection.handshakeDone) {
      // SYN-ACK back, the client's ACK.
      this.add(connection.cumulative, 1, TCP_HEADER_BYTES, 1, TCP_SYN_BYTES);
      connection.handshakeDone = true;
    }
    let exchanges: number;
    if (connection.longLived) {
      const seconds = (untilMs - connection.lastAccrualMs) / 1000;
      const busy = seconds > 0 && !this.random.chance(route.profile.idleShare);
      exchanges = busy ? Math.round(this.random.logUniform(...route.profile.longExchangesPerSecond) * seconds) : 0;
      // A freshly opened pooled connection does at least its handshake exchange (login, TLS).
      if (connection.exchangesDone === 0 && (final || seconds > 0)) exchanges = Math.max(exchanges, 1);
    } else {
      const life = connection.closeAtMs - connection.openedAtMs;
      const due = final || life <= 0 ? connection.plannedExchanges : Math.floor((connection.plannedExchanges * (untilMs - connection.openedAtMs)) / life);
      exchanges = Math.max(0, Math.min(connection.plannedExchanges, due) - connection.exchangesDone);
    }
    this.addExchanges(connection, exchanges);
    connection.lastAccrualMs = untilMs;
  }

  /** Adds `count` request/response exchanges; large counts are sampled and scaled. */
  private addExchanges(connection: Connection, count: number): void {
    if (count <= 0) return;
    const sampled = Math.min(count, EXCHANGE_SAMPLE_LIMIT);
    const sum = zeroCounters();
    const profile = connection.route.profile;
    const tcp = connection.route.protocol === TCP;
    for (let i = 0; i < sampled; i++) {
      let request = Math.round(this.random.logUniform(...profile.requestBytes));
      let response = Math.round(this.random.logUniform(...profile.responseBytes));
      if (connection.exchangesDone === 0 && i === 0 && profile.handshakeBytes[1] > 0) {
        // TLS / login handshake rides on the first exchange (±20%).
        request += Math.round(profile.handshakeBytes[0] * (0.8 + 0.4 * this.random.next()));
        response += Math.round(profile.handshakeBytes[1] * (0.8 + 0.4 * this.random.next()));
      }
      if (tcp) {
        const requestSegments = Math.ceil(request / TCP_MSS);
        const responseSegments = Math.ceil(response / TCP_MSS);
        // Delayed ACKs: one pure ACK for every two segments received.
        const originalPackets = requestSegments + Math.ceil(responseSegments / 2);
        const replyPackets = responseSegments + Math.ceil(requestSegments / 2);
        this.add(sum, originalPackets, request + originalPackets * TCP_HEADER_BYTES, replyPackets, response + replyPackets * TCP_HEADER_BYTES);
      } else {
        // UDP: the first request datagram was counted when the flow opened.
        const first = connection.exchangesDone === 0 && i === 0;
        const requestDatagrams = first ? 0 : Math.ceil(request / UDP_MAX_PAYLOAD);
        const responseDatagrams = Math.ceil(response / UDP_MAX_PAYLOAD);
        this.add(sum, requestDatagrams, first ? 0 : request + requestDatagrams * UDP_HEADER_BYTES, responseDatagrams, response + responseDatagrams * UDP_HEADER_BYTES);
      }
    }
    const scale = count / sampled;
    this.add(
      connection.cumulative,
      Math.round(sum.originalPackets * scale), Math.round(sum.originalBytes * scale),
      Math.round(sum.replyPackets * scale), Math.round(sum.replyBytes * scale),
    );
    connection.exchangesDone += count;
  }

  private hasGrown(connection: Connection): boolean {
    const { cumulative, reported } = connection;
    return cumulative.originalPackets !== reported.originalPackets || cumulative.replyPackets !== reported.replyPackets;
  }

  private add(counters: ConnectionCounters, originalPackets: number, originalBytes: number, replyPackets: number, replyBytes: number): void {
    counters.originalPackets += originalPackets;
    counters.originalBytes += Math.round(originalBytes);
    counters.replyPackets += replyPackets;
    counters.replyBytes += Math.round(replyBytes);
  }

  private bytesOf(ip: string): Uint8Array {
    let bytes = this.ipBytes.get(ip);
    if (!bytes) {
      bytes = ipToBytes(ip);
      this.ipBytes.set(ip, bytes);
    }
    return bytes;
  }

  /** A record of the connection's state at `atMs`, carrying the counter growth since its previous record. */
  private record(connection: Connection, eventKind: FlowRecordData['eventKind'], atMs: number): FlowRecordData {
    const { route, cumulative, reported } = connection;
    const tcp = route.protocol === TCP;
    const replied = cumulative.replyPackets > 0;
    let tcpState: TcpState = 'unspecified';
    if (tcp) tcpState = !replied ? 'SYN_SENT' : eventKind === 'destroy' ? 'TIME_WAIT' : 'ESTABLISHED';
    const record: FlowRecordData = {
      source: 'synthetic',
      nodeName: this.options.nodeName,
      startTimeUnixNano: msToNanos(connection.openedAtMs),
      endTimeUnixNano: msToNanos(atMs),
      ipVersion: route.client.ipVersion,
      protocol: route.protocol,
      original: { srcIp: this.bytesOf(route.client.ip), dstIp: this.bytesOf(route.dialledIp), srcPort: connection.srcPort, dstPort: route.dialledPort },
      // The reply comes from where the connection landed: the backend after DNAT.
      reply: { srcIp: this.bytesOf(route.server.ip), dstIp: this.bytesOf(route.client.ip), srcPort: route.serverPort, dstPort: connection.srcPort },
      originalPackets: cumulative.originalPackets - reported.originalPackets,
      originalBytes: cumulative.originalBytes - reported.originalBytes,
      replyPackets: cumulative.replyPackets - reported.replyPackets,
      replyBytes: cumulative.replyBytes - reported.replyBytes,
      eventKind,
      tcpState,
      assured: replied,
      unreplied: !replied,
      conntrackId: connection.id,
      conntrackMark: 0,
      dataplaneVerdict: connection.denied ? 'deny' : 'allow',
      ruleHint: route.ruleHint,
      icmpType: 0,
      icmpCode: 0,
      icmpId: 0,
      countersValid: true,
    };
    Object.assign(reported, cumulative);
    connection.records++;
    return record;
  }
}
