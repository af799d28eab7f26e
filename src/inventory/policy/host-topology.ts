/**
 * Where the nodes are, for the host endpoint packet path (docs/calico-semantics.md §2): which
 * host endpoints each node has, which addresses are a node's own (its host endpoints' and its
 * Node's InternalIP/ExternalIP), and each node's failsafe ports (FelixConfiguration `default`,
 * overridden by `node.<name>`, else Felix's defaults).
 */
import { cidrContains, type IpAddr } from '../model/ip.ts';
import type { FailsafePort, FelixConfiguration, Node } from '../model/resources.ts';
import type { EndpointSnapshot } from '../endpoints/endpoint-index.ts';

const tcp = (port: number): FailsafePort => ({ protocol: 6, port, net: null });
const udp = (port: number): FailsafePort => ({ protocol: 17, port, net: null });

/** felix/config/config_params.go FailsafeInboundHostPorts default. */
export const DEFAULT_FAILSAFE_INBOUND: readonly FailsafePort[] = Object.freeze([
  tcp(22), udp(68), tcp(179), tcp(2379), tcp(2380), tcp(5473), tcp(6443), tcp(6666), tcp(6667),
]);
/** felix/config/config_params.go FailsafeOutboundHostPorts default. */
export const DEFAULT_FAILSAFE_OUTBOUND: readonly FailsafePort[] = Object.freeze([
  udp(53), udp(67), tcp(179), tcp(2379), tcp(2380), tcp(5473), tcp(6443), tcp(6666), tcp(6667),
]);

export interface Failsafes {
  readonly inbound: readonly FailsafePort[];
  readonly outbound: readonly FailsafePort[];
}

/**
 * True when a failsafe entry accepts the flow: same protocol and destination port, and the peer
 * in `net` when given (inbound: the source; outbound: the destination) — felix/rules/static.go
 * failsafeInChain / failsafeOutChain.
 */
export function failsafeMatches(list: readonly FailsafePort[], protocol: number, dstPort: number | undefined, peer: IpAddr): boolean {
  if (dstPort === undefined) return false;
  for (const f of list) {
    if (f.protocol === protocol && f.port === dstPort && (f.net === null || cidrContains(f.net, peer))) return true;
  }
  return false;
}

export class HostTopology {
  /** node → its live host endpoint snapshots by key. */
  private readonly hepsByNode = new Map<string, Map<string, EndpointSnapshot>>();
  private readonly chosen = new Map<string, EndpointSnapshot | null>();
  private readonly nodeByAddress = new Map<string, string>();
  private readonly nodes = new Map<string, Node>();
  private readonly felixConfigs = new Map<string, FelixConfiguration>();
  private readonly failsafeMemo = new Map<string, Failsafes>();

  /** Endpoint-index listener: follows host endpoint snapshots. */
  readonly onEndpointChange = (prev: EndpointSnapshot | null, next: EndpointSnapshot | null): void => {
    const s = next ?? prev;
    if (s === null || s.kind !== 'host') return;
    if (prev?.resource.node) {
      this.hepsByNode.get(prev.resource.node)?.delete(prev.key);
      this.chosen.delete(prev.resource.node);
    }
    if (next?.resource.node) {
      let m = this.hepsByNode.get(next.resource.node);
      if (!m) {
        m = new Map();
        this.hepsByNode.set(next.resource.node, m);
      }
      m.set(next.key, next);
      this.chosen.delete(next.resource.node);
    }
  };

  applyNode(n: Node): void {
    this.deleteNode(n.name);
    this.nodes.set(n.name, n);
    for (const ip of n.addresses) this.nodeByAddress.set(ip, n.name);
  }

  deleteNode(name: string): void {
    const prev = this.nodes.get(name);
    if (!prev) return;
    this.nodes.delete(name);
    for (const ip of prev.addresses) if (this.nodeByAddress.get(ip) === name) this.nodeByAddress.delete(ip);
  }

  applyFelixConfiguration(c: FelixConfiguration): void {
    this.felixConfigs.set(c.name, c);
    this.failsafeMemo.clear();
  }

  deleteFelixConfiguration(name: string): void {
    this.felixConfigs.delete(name);
    this.failsafeMemo.clear();
  }

  /** The node whose own address `ip` is (a Node's InternalIP/ExternalIP), or null. */
  nodeOfAddress(ip: string): string | null {
    return this.nodeByAddress.get(ip) ?? null;
  }

  /**
   * The host endpoint that polices traffic entering or leaving `node` from or to other
   * machines: the all-interfaces (`*`) one when there is one, else the first by name (segflow
   * cannot see routes, so with several named interfaces it takes one; docs/calico-semantics.md §2.3).
   */
  hostEndpointOf(node: string): EndpointSnapshot | null {
    const known = this.chosen.get(node);
    if (known !== undefined) return known;
    let best: EndpointSnapshot | null = null;
    for (const s of this.hepsByNode.get(node)?.values() ?? []) {
      if (best === null) best = s;
      else {
        const sAll = s.resource.interfaceName === '*';
        const bAll = best.resource.interfaceName === '*';
        if (sAll !== bAll ? sAll : s.resource.name < best.resource.name) best = s;
      }
    }
    this.chosen.set(node, best);
    return best;
  }

  /** Failsafe ports in force on `node` (null: a host endpoint without node takes the default). */
  failsafesOf(node: string | null): Failsafes {
    const key = node ?? '';
    let f = this.failsafeMemo.get(key);
    if (f === undefined) {
      const own = node === null ? undefined : this.felixConfigs.get(`node.${node}`);
      const dflt = this.felixConfigs.get('default');
      f = {
        inbound: own?.failsafeInboundHostPorts ?? dflt?.failsafeInboundHostPorts ?? DEFAULT_FAILSAFE_INBOUND,
        outbound: own?.failsafeOutboundHostPorts ?? dflt?.failsafeOutboundHostPorts ?? DEFAULT_FAILSAFE_OUTBOUND,
      };
      this.failsafeMemo.set(key, f);
    }
    return f;
  }
}
