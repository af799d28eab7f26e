/**
 * Parser for the text output of Debian's `conntrack` tool (conntrack-tools 1.4.x):
 * `conntrack -E -o extended,id,timestamp` (events) and `conntrack -L -o extended,id` (table
 * snapshots). Pure: one line in, one {@link ConntrackEntry} out (or a {@link ConntrackParseError}).
 *
 * Why the text format and not `-o xml`: the XML output (libnetfilter_conntrack's snprintf_xml)
 * drops the ICMP type, code and id altogether and only carries the event time with one-second
 * resolution (`<when>`); the extended text format has both, plus the same counters, flags,
 * mark and id. Its grammar is regular enough to parse strictly:
 *
 * ```
 * [1795764760.315280]\t[DESTROY] ipv4     2 tcp      6 113 TIME_WAIT src=10.231.0.1 dst=10.231.0.2
 *   sport=35924 dport=8080 packets=5 bytes=5268 src=10.231.0.2 dst=10.231.0.1 sport=8080
 *   dport=35924 packets=3 bytes=164 [ASSURED] delta-time=7 id=38671004 [USERSPACE] portid=8873
 * ```
 *
 * - optional `[seconds.micros]` and tab (`-o timestamp`), optional `[NEW]`/`[UPDATE]`/`[DESTROY]`
 *   (events only);
 * - layer 3 name and number, layer 4 name and number, remaining timeout in seconds, and for
 *   stateful protocols (tcp, sctp, dccp) the state;
 * - the original tuple, then the reply tuple, as `key=value`; a tuple ends when a key repeats
 *   (the reply tuple starts with a second `src=`) or a key that is not a tuple key appears;
 *   ICMP tuples carry `type code id`, so for ICMP the conntrack id is the *second* `id=`;
 * - flags in brackets anywhere after the l4 header (`[UNREPLIED]` sits between the tuples,
 *   `[ASSURED]` after them), `key=value` attributes (`mark`, `use`, `delta-time`, `zone`, `id`,
 *   ...), and bracketed attributes that may contain spaces (`[start=Fri Nov 27 07:31:30 2026]`
 *   with `-o ktimestamp`).
 */

/** One direction of a conntrack entry as printed. */
export interface ConntrackTuple {
  src: string;
  dst: string;
  /** Present for protocols with ports (tcp, udp, udplite, sctp, dccp). */
  sport?: number;
  dport?: number;
  /** Present for icmp/icmpv6. */
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
  /** Present only when `nf_conntrack_acct` is on (and, for events, only on DESTROY). */
  packets?: number;
  bytes?: number;
  /** The addresses as network-order bytes, when the reader had them (the netlink reader); saves parsing the text again. */
  srcBytes?: Uint8Array;
  dstBytes?: Uint8Array;
}

/** Event kind as printed in brackets; null for `conntrack -L` lines. */
export type ConntrackEventType = 'new' | 'update' | 'destroy';

/** One parsed line. */
export interface ConntrackEntry {
  eventType: ConntrackEventType | null;
  /** Userspace receive time of the event (`-o timestamp`), Unix seconds with microseconds; null if absent. */
  timestamp: number | null;
  ipVersion: 4 | 6;
  /** Layer 4 protocol name as printed (`tcp`, `udp`, `icmp`, `icmpv6`, `unknown`, ...). */
  protocolName: string;
  /** IANA protocol number. */
  protocol: number;
  /** Seconds until the entry times out; null on DESTROY events of expired entries, which print none. */
  timeoutSeconds: number | null;
  /** Protocol state (tcp: `ESTABLISHED`, ...); null for stateless protocols. */
  state: string | null;
  original: ConntrackTuple;
  reply: ConntrackTuple;
  assured: boolean;
  unreplied: boolean;
  /** Every bracketed flag seen, in order (e.g. `UNREPLIED`, `ASSURED`, `OFFLOAD`, `USERSPACE`). */
  flags: string[];
  /** conntrack id (`-o id`); null when not printed. */
  id: number | null;
  /** ctmark; null when not printed (events omit it when 0). */
  mark: number | null;
  /** Seconds since the entry was created (`delta-time`, needs `nf_conntrack_timestamp`); null if absent. */
  deltaTimeSeconds: number | null;
  /** conntrack zone; null if absent (zone 0). */
  zone: number | null;
  /** Other `key=value` attributes (`use`, `portid`, `secctx`, `labels`, `helper`, `start`, `stop`, ...). */
  attributes: Record<string, string>;
}

/** Thrown for a line that is not conntrack output; names what was expected and where. */
export class ConntrackParseError extends Error {
  override readonly name = 'ConntrackParseError';
  constructor(
    readonly line: string,
    readonly reason: string,
  ) {
    super(`cannot parse conntrack line (${reason}): ${line.length > 300 ? `${line.slice(0, 300)}...` : line}`);
  }
}

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp']);
const ICMP_PROTOCOLS = new Set(['icmp', 'icmpv6']);
const STATEFUL_PROTOCOLS = new Set(['tcp', 'sctp', 'dccp']);
const EVENT_TYPES: Record<string, ConntrackEventType> = { NEW: 'new', UPDATE: 'update', DESTROY: 'destroy' };

/** Splits on whitespace, keeping `[...]` groups (which may contain spaces) as one token. */
function tokenize(text: string, line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw new ConntrackParseError(line, `unterminated "[" at column ${i}`);
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
    tokens.push(text.slice(i, j));
    i = j;
  }
  return tokens;
}

function parseUint(value: string, what: string, line: string): number {
  if (!/^\d+$/.test(value)) throw new ConntrackParseError(line, `${what} is not a non-negative integer: ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new ConntrackParseError(line, `${what} is too large: ${value}`);
  return n;
}

/** Which `key=` names belong to a tuple of the given protocol. */
function tupleKeys(protocolName: string): Set<string> {
  const keys = new Set(['src', 'dst', 'packets', 'bytes']);
  if (PORT_PROTOCOLS.has(protocolName)) {
    keys.add('sport');
    keys.add('dport');
  }
  if (ICMP_PROTOCOLS.has(protocolName)) {
    keys.add('type');
    keys.add('code');
    keys.add('id');
  }
  return keys;
}

function buildTuple(fields: Map<string, string>, which: string, line: string): ConntrackTuple {
  const src = fields.get('src');
  const dst = fields.get('dst');
  if (src === undefined || dst === undefined) throw new ConntrackParseError(line, `${which} tuple lacks src= or dst=`);
  const tuple: ConntrackTuple = { src, dst };
  const num = (key: string): number | undefined => {
    const v = fields.get(key);
    return v === undefined ? undefined : parseUint(v, `${which} ${key}`, line);
  };
  const sport = num('sport');
  const dport = num('dport');
  const icmpType = num('type');
  const icmpCode = num('code');
  const icmpId = num('id');
  const packets = num('packets');
  const bytes = num('bytes');
  if (sport !== undefined) tuple.sport = sport;
  if (dport !== undefined) tuple.dport = dport;
  if (icmpType !== undefined) tuple.icmpType = icmpType;
  if (icmpCode !== undefined) tuple.icmpCode = icmpCode;
  if (icmpId !== undefined) tuple.icmpId = icmpId;
  if (packets !== undefined) tuple.packets = packets;
  if (bytes !== undefined) tuple.bytes = bytes;
  return tuple;
}

/**
 * Parses one line of `conntrack -E -o extended[,id][,timestamp]` or `conntrack -L -o extended[,id]`.
 * Throws {@link ConntrackParseError} for anything else (including the tool's
 * "N flow entries have been shown." summary, which goes to stderr and should never reach here).
 */
export function parseConntrackLine(line: string): ConntrackEntry {
  let rest = line.trim();
  let timestamp: number | null = null;
  let eventType: ConntrackEventType | null = null;

  const ts = /^\[(\d+)\.(\d{1,9})\]\s*/.exec(rest);
  if (ts) {
    timestamp = Number(`${ts[1]}.${ts[2]}`);
    rest = rest.slice(ts[0].length);
  }
  const ev = /^\[(NEW|UPDATE|DESTROY)\]\s*/.exec(rest);
  if (ev) {
    eventType = EVENT_TYPES[ev[1]!]!;
    rest = rest.slice(ev[0].length);
  }

  const tokens = tokenize(rest, line);
  if (tokens.length < 5) throw new ConntrackParseError(line, 'too few fields for "<l3> <l3num> <l4> <l4num> [<timeout>]"');
  const [l3name, l3num, protocolName, l4num, timeoutText] = tokens as [string, string, string, string, string];
  let ipVersion: 4 | 6;
  if (l3name === 'ipv4' && l3num === '2') ipVersion = 4;
  else if (l3name === 'ipv6' && l3num === '10') ipVersion = 6;
  else throw new ConntrackParseError(line, `unknown layer 3 "${l3name} ${l3num}" (expected "ipv4 2" or "ipv6 10"; is -o extended set?)`);
  const protocol = parseUint(l4num, 'layer 4 protocol number', line);
  if (protocol > 255) throw new ConntrackParseError(line, `layer 4 protocol number ${protocol} > 255`);
  // A DESTROY of an entry that expired (rather than one deleted or flushed) has no timeout left
  // and prints none: `tcp 6 TIME_WAIT src=...`.
  const timeoutPrinted = /^\d+$/.test(timeoutText) || eventType !== 'destroy';
  const timeoutSeconds = timeoutPrinted ? parseUint(timeoutText, 'timeout', line) : null;

  let index = timeoutPrinted ? 5 : 4;
  let state: string | null = null;
  if (STATEFUL_PROTOCOLS.has(protocolName)) {
    const candidate = tokens[index];
    if (candidate !== undefined && /^[A-Z_0-9]+$/.test(candidate)) {
      state = candidate;
      index++;
    }
  }

  const keysOfTuple = tupleKeys(protocolName);
  const tuples: Map<string, string>[] = [];
  let current: Map<string, string> | null = null;
  const flags: string[] = [];
  const attributes: Record<string, string> = {};
  let id: number | null = null;
  let mark: number | null = null;
  let deltaTimeSeconds: number | null = null;
  let zone: number | null = null;

  for (; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.startsWith('[')) {
      const inner = token.slice(1, -1);
      const eq = inner.indexOf('=');
      if (eq > 0) attributes[inner.slice(0, eq)] = inner.slice(eq + 1);
      else flags.push(inner);
      continue;
    }
    const eq = token.indexOf('=');
    if (eq <= 0) throw new ConntrackParseError(line, `unexpected token ${JSON.stringify(token)}`);
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    const startsTuple = key === 'src' && tuples.length < 2 && (current === null || current.has('src'));
    if (startsTuple) {
      current = new Map();
      tuples.push(current);
      current.set(key, value);
      continue;
    }
    if (current !== null && keysOfTuple.has(key) && !current.has(key)) {
      current.set(key, value);
      continue;
    }
    current = null; // any other key ends the tuple being read
    switch (key) {
      case 'id':
        id = parseUint(value, 'conntrack id', line);
        break;
      case 'mark':
        mark = parseUint(value, 'mark', line);
        break;
      case 'delta-time':
        deltaTimeSeconds = parseUint(value, 'delta-time', line);
        break;
      case 'zone':
        zone = parseUint(value, 'zone', line);
        break;
      default:
        if (keysOfTuple.has(key)) throw new ConntrackParseError(line, `tuple key ${key}= outside of a tuple`);
        attributes[key] = value;
    }
  }
  if (tuples.length !== 2) throw new ConntrackParseError(line, `expected an original and a reply tuple, found ${tuples.length}`);

  return {
    eventType,
    timestamp,
    ipVersion,
    protocolName,
    protocol,
    timeoutSeconds,
    state,
    original: buildTuple(tuples[0]!, 'original', line),
    reply: buildTuple(tuples[1]!, 'reply', line),
    assured: flags.includes('ASSURED'),
    unreplied: flags.includes('UNREPLIED'),
    flags,
    id,
    mark,
    deltaTimeSeconds,
    zone,
    attributes,
  };
}

/** True for lines that carry no entry: blank lines and the tool's "N flow ... shown." summaries. */
export function isConntrackNoiseLine(line: string): boolean {
  const t = line.trim();
  return t === '' || /^conntrack v[\d.]+ \(conntrack-tools\):/.test(t);
}
