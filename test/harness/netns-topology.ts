/**
 * A real little cluster inside one machine for end-to-end tests: one network namespace per
 * "pod" and one as the "node" that routes between them, wired the way Calico wires a node
 * (a veth per pod, the pod's /32 address, a default route to 169.254.1.1 answered by proxy ARP
 * on the node side, a host route per pod). Traffic between pods is forwarded by the node
 * namespace's kernel, so its conntrack table and iptables rules see every connection.
 *
 * Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and iproute2/iptables; uses only addresses inside
 * the namespaces it creates. Every name carries a per-run prefix and `destroy()` removes all.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { sh as runCommand } from './shell.ts';

const run = promisify(execFile);

export interface PodSpec {
  /** Short name (used in namespace and interface names; ≤ 6 characters). */
  readonly name: string;
  readonly ip: string;
}

const sh = (args: string[]): Promise<string> => runCommand(...args);

export class NetnsTopology {
  readonly nodeNs: string;
  private readonly pods = new Map<string, PodSpec & { ns: string; hostIf: string }>();
  private readonly children = new Set<ChildProcess>();

  private constructor(readonly prefix: string) {
    this.nodeNs = `${prefix}-node`;
  }

  /** Creates the node namespace with forwarding, conntrack accounting and timestamps on. */
  static async create(prefix: string): Promise<NetnsTopology> {
    if (process.getuid?.() !== 0) throw new Error('network-namespace tests need root (CAP_NET_ADMIN): run the test suite as root');
    const topology = new NetnsTopology(prefix);
    await topology.removeLeftovers();
    await sh(['ip', 'netns', 'add', topology.nodeNs]);
    await topology.inNode(['ip', 'link', 'set', 'lo', 'up']);
    await topology.inNode(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    // Pods route everything via 169.254.1.1. Calico answers that ARP by proxy ARP through the
    // node's default route; this node has none, so it owns the address instead (on lo; Linux
    // answers ARP for any local address on every interface).
    await topology.inNode(['ip', 'addr', 'add', '169.254.1.1/32', 'dev', 'lo']);
    // Conntrack exists in the namespace only once a netfilter rule uses it; accounting and
    // timestamps are per-namespace and off by default.
    await topology.inNode(['iptables', '-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_acct=1']);
    await topology.inNode(['sysctl', '-qw', 'net.netfilter.nf_conntrack_timestamp=1']);
    return topology;
  }

  /** Removes namespaces a crashed earlier run with the same prefix left behind. */
  private async removeLeftovers(): Promise<void> {
    const list = await sh(['ip', 'netns', 'list']);
    for (const line of list.split('\n')) {
      const name = line.split(' ')[0];
      if (name && name.startsWith(`${this.prefix}-`)) await sh(['ip', 'netns', 'del', name]).catch(() => undefined);
    }
  }

  /** Adds a pod namespace with `ip`/32, wired to the node by a veth pair. */
  async addPod(pod: PodSpec): Promise<void> {
    const ns = `${this.prefix}-${pod.name}`;
    const hostIf = `${this.interfacePrefix}${pod.name}`.slice(0, 15);
    await sh(['ip', 'netns', 'add', ns]);
    await sh(['ip', 'link', 'add', hostIf, 'netns', this.nodeNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await this.inNode(['ip', 'link', 'set', hostIf, 'up']);
    await this.inNode(['sysctl', '-qw', `net.ipv4.conf.${hostIf}.proxy_arp=1`]);
    await this.inNode(['ip', 'route', 'add', `${pod.ip}/32`, 'dev', hostIf]);
    const inPod = (args: string[]) => sh(['ip', 'netns', 'exec', ns, ...args]);
    await inPod(['ip', 'link', 'set', 'lo', 'up']);
    await inPod(['ip', 'addr', 'add', `${pod.ip}/32`, 'dev', 'eth0']);
    await inPod(['ip', 'link', 'set', 'eth0', 'up']);
    await inPod(['ip', 'route', 'add', '169.254.1.1', 'dev', 'eth0', 'scope', 'link']);
    await inPod(['ip', 'route', 'add', 'default', 'via', '169.254.1.1', 'dev', 'eth0']);
    this.pods.set(pod.name, { ...pod, ns, hostIf });
  }

  /** Every pod's host-side interface starts with this (what an eBPF probe attaches to). */
  get interfacePrefix(): string {
    return this.prefix.slice(0, 4);
  }

  /** The host-side (node) end of a pod's veth pair. */
  hostInterfaceOf(pod: string): string {
    const p = this.pods.get(pod);
    if (!p) throw new Error(`no pod ${pod} in topology ${this.prefix}`);
    return p.hostIf;
  }

  namespaceOf(pod: string): string {
    const p = this.pods.get(pod);
    if (!p) throw new Error(`no pod ${pod} in topology ${this.prefix}`);
    return p.ns;
  }

  /** Runs a command in the node namespace. */
  inNode(args: string[]): Promise<string> {
    return sh(['ip', 'netns', 'exec', this.nodeNs, ...args]);
  }

  /** Runs a command in a pod namespace to completion. */
  inPod(pod: string, args: string[], timeoutMs = 60_000): Promise<string> {
    return run('ip', ['netns', 'exec', this.namespaceOf(pod), ...args], { timeout: timeoutMs }).then((r) => r.stdout);
  }

  /** Starts a long-running process in a namespace; it is killed by `destroy()`. */
  spawnIn(ns: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Drops new connections from `src` to `dst` in the node (the inventory's deny, enforced). */
  async denyForward(src: string, dst: string, protocol: 'tcp' | 'udp', dstPort: number): Promise<void> {
    await this.inNode(['iptables', '-I', 'FORWARD', '2', '-s', src, '-d', dst, '-p', protocol, '--dport', String(dstPort), '-j', 'DROP']);
  }

  /** Service DNAT in the node: `serviceIp:port` → `backendIp:targetPort`, as kube-proxy does. */
  async addServiceDnat(serviceIp: string, port: number, backendIp: string, targetPort: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<void> {
    await this.inNode(['iptables', '-t', 'nat', '-A', 'PREROUTING', '-d', `${serviceIp}/32`, '-p', protocol, '--dport', String(port), '-j', 'DNAT', '--to-destination', `${backendIp}:${targetPort}`]);
  }

  /** Kills every process started here and deletes every namespace (veths go with them). */
  async destroy(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    for (const pod of this.pods.values()) await sh(['ip', 'netns', 'del', pod.ns]).catch(() => undefined);
    await sh(['ip', 'netns', 'del', this.nodeNs]).catch(() => undefined);
    this.pods.clear();
  }
}
