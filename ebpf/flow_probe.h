/*
 * Types shared by the eBPF program (flow_probe.bpf.c) and its loader (loader.c).
 * Include after vmlinux.h (BPF side) or <linux/types.h> (user side).
 */
#ifndef SEGFLOW_FLOW_PROBE_H
#define SEGFLOW_FLOW_PROBE_H

/* Directions of a tc hook, as seen from the host side of a workload interface. */
#define FP_DIR_INGRESS 0 /* packet leaves the workload: enters the host at its veth */
#define FP_DIR_EGRESS 1  /* packet is delivered to the workload */

/*
 * A directional 5-tuple. Addresses are network-order bytes; IPv4 uses the first 4 bytes and
 * leaves the rest zero (family says which). Ports are host order. For ICMP echo the identifier
 * is carried in sport (dport 0) so request and reply pair up like conntrack's ICMP entries.
 */
struct fp_flow_key {
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 family; /* 4 or 6 */
	__u8 pad[2];  /* explicit: hash keys are compared bytewise, padding must be zero */
};

/* Counters of one directional tuple since the last drain. */
struct fp_flow_value {
	__u64 packets;
	__u64 bytes; /* IP bytes (header + payload), as conntrack accounts them */
	__u64 first_ns; /* bpf_ktime_get_ns() of the first packet in this generation */
	__u64 last_ns;
	__u32 ifindex; /* interface of the last packet */
	__u8 tcp_flags; /* OR of the TCP flags seen */
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 dir; /* FP_DIR_* of the first packet */
};

/* A packet the kernel freed with a drop reason we keep (netfilter), sent through the ring buffer. */
struct fp_drop_event {
	__u64 ts_ns; /* bpf_ktime_get_ns() */
	struct fp_flow_key key;
	__u32 reason;  /* enum skb_drop_reason value */
	__u32 ifindex; /* skb->dev, 0 if none */
	__u32 len;     /* IP bytes of the dropped packet */
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 pad;
};

/* Counters kept in a per-CPU array (index = FP_STAT_*), read cumulatively by the loader. */
enum fp_stat {
	FP_STAT_RINGBUF_FULL = 0, /* drop events lost because the ring buffer was full */
	FP_STAT_FLOW_MAP_FULL,    /* packets not accounted because the flow map was full */
	FP_STAT_DROP_UNPARSED,    /* kept drops whose headers could not be parsed */
	FP_STAT_TC_UNPARSED,      /* tc packets that were not IPv4/IPv6 TCP/UDP/ICMP (ARP, ...) */
	FP_STAT_MAX,
};

/* Size of the per-reason drop counter array; reasons beyond it (subsystem reasons) share the last slot. */
#define FP_REASON_SLOTS 1024

#endif
