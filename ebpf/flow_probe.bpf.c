// SPDX-License-Identifier: GPL-2.0
/*
 * segflow flow probe.
 *
 * 1. Flow accounting: tc (clsact) programs on the host side of workload interfaces count
 *    packets and IP bytes per directional 5-tuple in a hash map. The loader drains the map every
 *    report interval; two maps are used alternately ("generations") so the loader drains a map
 *    no program writes to any more - deleting entries under a concurrent writer would lose or
 *    misplace increments (preallocated hash elements are reused).
 * 2. Drops: a BTF tracepoint on skb:kfree_skb keeps the packets freed with a netfilter drop
 *    reason, parses their IPv4/IPv6 TCP/UDP/ICMP headers and sends one event per packet through
 *    a ring buffer; every other reason is only counted (per reason, per CPU).
 *
 * GPL because tp_btf programs and bpf_probe_read_kernel need a GPL-compatible license.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "flow_probe.h"

char LICENSE[] SEC("license") = "GPL";

/* Macros from uapi headers that BTF (and so vmlinux.h) does not carry. */
#define TC_ACT_OK 0
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ICMPV6_ 58
#define IP_OFFSET_MASK 0x1fff
#define FLOW_MAP_ENTRIES 65536
/* Wake the loader only once this much is queued: a wakeup per event costs the dropping CPU an
 * irq_work and the loader a context switch, and the agent only reports drops at the end of an
 * interval anyway. The loader also polls every 100 ms, which bounds the delay at low rates. */
#define RINGBUF_WAKEUP_BYTES (64 << 10)

/* Set by the loader before load (rodata): only drops in this network namespace are kept
 * (0 = all namespaces). kfree_skb fires for every namespace on the machine. */
const volatile __u32 filter_netns_ino = 0;

/* Which flow map the tc programs write to (0 or 1); flipped by the loader through the
 * memory-mapped .bss before it drains the other one. */
volatile __u32 generation = 0;

struct flow_map {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FLOW_MAP_ENTRIES);
	__type(key, struct fp_flow_key);
	__type(value, struct fp_flow_value);
};
struct flow_map flows_0 SEC(".maps");
struct flow_map flows_1 SEC(".maps");

/* ifindex -> L3 offset of that interface (14 for Ethernet, 0 for L3 devices). Also tells the
 * egress program that a packet which entered through a watched interface was already counted. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} watched_ifaces SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* 4 MiB: ~65k drop events of slack between loader wakeups */
} drop_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_REASON_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} drop_reasons SEC(".maps");

static __always_inline void stat_inc(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);
	if (v)
		*v += 1; /* per-CPU slot: no atomics needed */
}

/* What the header parser extracts from one packet. */
struct parsed {
	struct fp_flow_key key;
	__u32 ip_len;
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
};

/*
 * Reads packet bytes either from an skb in a tc program (bpf_skb_load_bytes copes with
 * non-linear skbs) or from kernel memory in the tracepoint (base = skb->head). `from_skb` is a
 * compile-time constant at every call site, so each program only contains its own helper.
 */
static __always_inline int load(void *ctx, int from_skb, __u32 off, void *dst, __u32 len)
{
	if (from_skb)
		return bpf_skb_load_bytes(ctx, off, dst, len);
	return bpf_probe_read_kernel(dst, len, (char *)ctx + off);
}

static __always_inline int is_ipv6_ext(__u8 nh)
{
	/* hop-by-hop, routing, destination options, AH; fragment (44) is handled separately */
	return nh == 0 || nh == 43 || nh == 60 || nh == 51;
}

/*
 * Parses IPv4/IPv6 and the TCP/UDP/ICMP header behind it, starting at l3off. Returns 0 on
 * success, -1 for anything else. Non-first fragments and unknown protocols still yield a tuple
 * with ports 0 (the addresses and protocol are known).
 */
static __always_inline int parse_packet(void *ctx, int from_skb, __u32 l3off, __u16 ethertype, struct parsed *p)
{
	__u32 l4off;
	__u8 proto;
	int have_l4 = 1;

	if (ethertype == ETH_P_IP) {
		struct iphdr ip;
		if (load(ctx, from_skb, l3off, &ip, sizeof(ip)) < 0 || ip.version != 4 || ip.ihl < 5)
			return -1;
		p->key.family = 4;
		__builtin_memcpy(p->key.src, &ip.saddr, 4);
		__builtin_memcpy(p->key.dst, &ip.daddr, 4);
		proto = ip.protocol;
		p->ip_len = bpf_ntohs(ip.tot_len);
		l4off = l3off + ip.ihl * 4;
		if (bpf_ntohs(ip.frag_off) & IP_OFFSET_MASK)
			have_l4 = 0; /* a later fragment: no L4 header in this packet */
	} else if (ethertype == ETH_P_IPV6) {
		struct ipv6hdr ip6;
		if (load(ctx, from_skb, l3off, &ip6, sizeof(ip6)) < 0 || ip6.version != 6)
			return -1;
		p->key.family = 6;
		__builtin_memcpy(p->key.src, &ip6.saddr, 16);
		__builtin_memcpy(p->key.dst, &ip6.daddr, 16);
		proto = ip6.nexthdr;
		p->ip_len = bpf_ntohs(ip6.payload_len) + 40;
		l4off = l3off + 40;
		/* A bounded walk over extension headers (six is more than real traffic carries). */
#pragma unroll
		for (int i = 0; i < 6; i++) {
			__u8 ext[2];
			if (!is_ipv6_ext(proto))
				break;
			if (load(ctx, from_skb, l4off, ext, 2) < 0)
				return -1;
			l4off += proto == 51 ? ((__u32)ext[1] + 2) * 4 : ((__u32)ext[1] + 1) * 8;
			proto = ext[0];
		}
		if (proto == 44) { /* fragment header: 8 bytes, offset in the upper 13 bits of bytes 2-3 */
			__u8 frag[8];
			if (load(ctx, from_skb, l4off, frag, 8) < 0)
				return -1;
			proto = frag[0];
			l4off += 8;
			if (((frag[2] << 8) | frag[3]) & 0xfff8)
				have_l4 = 0;
		}
	} else {
		return -1;
	}
	p->key.proto = proto;
	if (!have_l4)
		return 0;

	if (proto == IPPROTO_TCP_) {
		__u8 th[14]; /* ports, seq, ack, data offset, flags */
		if (load(ctx, from_skb, l4off, th, sizeof(th)) < 0)
			return 0;
		p->key.sport = (th[0] << 8) | th[1];
		p->key.dport = (th[2] << 8) | th[3];
		p->tcp_flags = th[13];
	} else if (proto == IPPROTO_UDP_) {
		__u8 uh[4];
		if (load(ctx, from_skb, l4off, uh, sizeof(uh)) < 0)
			return 0;
		p->key.sport = (uh[0] << 8) | uh[1];
		p->key.dport = (uh[2] << 8) | uh[3];
	} else if (proto == IPPROTO_ICMP_ || proto == IPPROTO_ICMPV6_) {
		__u8 ih[6]; /* type, code, checksum, identifier */
		if (load(ctx, from_skb, l4off, ih, sizeof(ih)) < 0)
			return 0;
		p->icmp_type = ih[0];
		p->icmp_code = ih[1];
		/* Echo request/reply carry an identifier that pairs both directions (as conntrack does). */
		if ((proto == IPPROTO_ICMP_ && (ih[0] == 8 || ih[0] == 0)) ||
		    (proto == IPPROTO_ICMPV6_ && (ih[0] == 128 || ih[0] == 129)))
			p->key.sport = (ih[4] << 8) | ih[5];
	}
	return 0;
}

static __always_inline void account(struct __sk_buff *skb, __u8 dir)
{
	__u32 ifindex = skb->ifindex;
	__u32 *l3off = bpf_map_lookup_elem(&watched_ifaces, &ifindex);
	struct parsed p = {};
	__u64 now;
	void *map;

	if (!l3off)
		return; /* attached, but no longer watched (the loader is shutting down) */
	if (parse_packet(skb, 1, *l3off, bpf_ntohs(skb->protocol), &p) < 0) {
		stat_inc(FP_STAT_TC_UNPARSED);
		return;
	}
	/* BIG TCP packets carry tot_len 0: fall back to the skb length past the L2 header. */
	if (p.ip_len == 0 && skb->len > *l3off)
		p.ip_len = skb->len - *l3off;

	now = bpf_ktime_get_ns();
	map = (generation & 1) ? (void *)&flows_1 : (void *)&flows_0;
	struct fp_flow_value *v = bpf_map_lookup_elem(map, &p.key);
	if (!v) {
		struct fp_flow_value init = {
			.first_ns = now,
			.ifindex = ifindex,
			.icmp_type = p.icmp_type,
			.icmp_code = p.icmp_code,
			.dir = dir,
		};
		/* NOEXIST: if another CPU inserted the key meanwhile, fall through to its element. */
		if (bpf_map_update_elem(map, &p.key, &init, BPF_NOEXIST) < 0 && bpf_map_lookup_elem(map, &p.key) == 0) {
			stat_inc(FP_STAT_FLOW_MAP_FULL);
			return;
		}
		v = bpf_map_lookup_elem(map, &p.key);
		if (!v)
			return;
	}
	/* Several CPUs may update one flow: atomic adds for the counters; the rest is last-writer-wins. */
	__sync_fetch_and_add(&v->packets, 1);
	__sync_fetch_and_add(&v->bytes, p.ip_len);
	/* Flags: written only when new bits appear (rare), so a plain read-modify-write; a lost
	 * race costs one flag bit that the next packet of the flow sets again. */
	if ((v->tcp_flags | p.tcp_flags) != v->tcp_flags)
		v->tcp_flags |= p.tcp_flags;
	v->last_ns = now;
	v->ifindex = ifindex;
}

SEC("tc")
int fp_tc_ingress(struct __sk_buff *skb)
{
	account(skb, FP_DIR_INGRESS);
	return TC_ACT_OK; /* observe only: never change the packet's fate */
}

SEC("tc")
int fp_tc_egress(struct __sk_buff *skb)
{
	__u32 in = skb->ingress_ifindex;
	/* Forwarded from another watched interface: counted there at ingress already (pod-to-pod
	 * traffic on one node would otherwise be counted twice). */
	if (in != 0 && bpf_map_lookup_elem(&watched_ifaces, &in))
		return TC_ACT_OK;
	account(skb, FP_DIR_EGRESS);
	return TC_ACT_OK;
}

static __always_inline __u32 netns_of(struct sk_buff *skb)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	struct sock *sk = BPF_CORE_READ(skb, sk);
	if (sk)
		return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	return 0;
}

/*
 * tp_btf (a BTF-typed raw tracepoint) rather than the classic tracepoint: it needs no tracefs
 * and gets the skb pointer typed. Kernels since 6.11 pass a fourth argument (rx_sk); the first
 * three are the same everywhere, and those are all we read.
 */
SEC("tp_btf/kfree_skb")
int BPF_PROG(fp_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	__u32 slot = (__u32)reason < FP_REASON_SLOTS - 1 ? (__u32)reason : FP_REASON_SLOTS - 1;
	__u64 *count;

	if (filter_netns_ino && netns_of(skb) != filter_netns_ino)
		return 0;
	count = bpf_map_lookup_elem(&drop_reasons, &slot);
	if (count)
		*count += 1;
	/* CO-RE: the enum's value is relocated against the running kernel's BTF. */
	if ((__u32)reason != bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_NETFILTER_DROP))
		return 0;

	struct parsed p = {};
	__u16 nh = BPF_CORE_READ(skb, network_header);
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 ethertype = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	if (nh == (__u16)~0U || parse_packet(head, 0, nh, ethertype, &p) < 0) {
		stat_inc(FP_STAT_DROP_UNPARSED);
		return 0;
	}
	if (p.ip_len == 0)
		p.ip_len = BPF_CORE_READ(skb, len);

	struct fp_drop_event *e = bpf_ringbuf_reserve(&drop_events, sizeof(*e), 0);
	if (!e) {
		stat_inc(FP_STAT_RINGBUF_FULL);
		return 0;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->key = p.key;
	e->reason = reason;
	struct net_device *dev = BPF_CORE_READ(skb, dev);
	e->ifindex = dev ? BPF_CORE_READ(dev, ifindex) : 0;
	e->len = p.ip_len;
	e->tcp_flags = p.tcp_flags;
	e->icmp_type = p.icmp_type;
	e->icmp_code = p.icmp_code;
	e->pad = 0;
	bpf_ringbuf_submit(e, bpf_ringbuf_query(&drop_events, BPF_RB_AVAIL_DATA) >= RINGBUF_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 0;
}
