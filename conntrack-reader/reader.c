// SPDX-License-Identifier: Apache-2.0
/*
 * segflow-conntrack-reader: reads the kernel's conntrack events (or lists the table) over
 * NETLINK_NETFILTER and writes fixed-size binary records to stdout (conntrack_record.h).
 *
 *   segflow-conntrack-reader events [--buffer-size BYTES]   # NEW and DESTROY events until SIGTERM
 *   segflow-conntrack-reader dump                           # the table (IPv4, then IPv6), then exit
 *   segflow-conntrack-reader query                          # looks up the entries named on stdin
 *
 * It replaces `conntrack -E -o extended,id,timestamp` / `conntrack -L -o extended,id` for the
 * node agent: the tool formats every event as text (its own CPU alone is ~28 ms per 1000
 * events) and the agent parses the text again; here the kernel's attributes are copied into a
 * record and the agent reads them with a few DataView calls.
 *
 * `query` reads QUERY records on stdin (the original tuple, id and zone of entries the agent
 * tracks) and answers each with the entry as the kernel holds it now (FOUND) or with the error
 * the kernel gave (GONE, usually ENOENT), in order; a QUERY_END record is answered once all
 * before it are. A busy node's table is mostly connections closed and waiting out TIME_WAIT:
 * looking up the few still open costs the kernel far less than listing all of them.
 *
 * Lost events are never silent: when the socket's receive buffer overflows the kernel drops
 * events and reports ENOBUFS once; the reader then writes a LOSS record with the cumulative
 * number of drops (the socket's sk_drops, read through SO_MEMINFO) and goes on. The kernel goes
 * on dropping until the queue is empty, so a drained socket (and the exit) writes another LOSS
 * record when the count grew since the last one.
 *
 * Run it in the network namespace to watch (e.g. through `ip netns exec`). Needs
 * CAP_NET_ADMIN (event groups and dumps of ctnetlink). Exit status: 0 after SIGTERM/SIGINT or a
 * finished dump, 2 for bad arguments, 3 when conntrack netlink is unavailable or not permitted
 * (the stderr line starting with "unavailable:" says why), 1 for a runtime failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include "conntrack_record.h"
#include "netlink_attr.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the record format is little-endian and written with memcpy: port the writer first"
#endif

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define EXIT_UNAVAILABLE 3
#define RECV_BUF_BYTES (256 * 1024)
#define OUT_RECORDS 512

static volatile sig_atomic_t stopping;
static struct ct_record out[OUT_RECORDS];
static unsigned n_out;
static uint64_t n_overruns;
/* sk_drops as of the last LOSS record written. */
static uint64_t drops_reported;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void die(int status, const char *what)
{
	fprintf(stderr, "%s%s: %s\n", status == EXIT_UNAVAILABLE ? "unavailable: " : "", what, strerror(errno));
	exit(status);
}

/* Writes every buffered record; a reader that went away ends us (EPIPE). */
static void flush_out(void)
{
	const char *p = (const char *)out;
	size_t left = (size_t)n_out * sizeof(out[0]);
	while (left > 0) {
		ssize_t n = write(STDOUT_FILENO, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				exit(0);
			die(1, "writing records to stdout");
		}
		p += n;
		left -= (size_t)n;
	}
	n_out = 0;
}

static struct ct_record *next_record(void)
{
	if (n_out == OUT_RECORDS)
		flush_out();
	struct ct_record *r = &out[n_out++];
	memset(r, 0, sizeof(*r));
	return r;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- attribute walking -------------------------------------------------------------------- */

#define ATTR_TYPE(a) ((a)->nla_type & NLA_TYPE_MASK)
#define ATTR_DATA(a) ((const void *)((const char *)(a) + NLA_HDRLEN))
#define ATTR_LEN(a) ((size_t)(a)->nla_len - NLA_HDRLEN)

/* Calls `fn` for each well-formed attribute in [data, data+len); stops at a truncated one. */
#define FOR_EACH_ATTR(a, data, len)                                                           \
	for (const struct nlattr *a = (const struct nlattr *)(data);                            \
	     (size_t)((const char *)a - (const char *)(data)) + NLA_HDRLEN <= (len) &&          \
	     a->nla_len >= NLA_HDRLEN &&                                                        \
	     (size_t)((const char *)a - (const char *)(data)) + a->nla_len <= (len);            \
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len)))

static uint8_t get_u8(const struct nlattr *a) { return ATTR_LEN(a) >= 1 ? *(const uint8_t *)ATTR_DATA(a) : 0; }

static uint16_t get_be16(const struct nlattr *a)
{
	uint16_t v = 0;
	if (ATTR_LEN(a) >= 2)
		memcpy(&v, ATTR_DATA(a), 2);
	return ntohs(v);
}

static uint32_t get_be32(const struct nlattr *a)
{
	uint32_t v = 0;
	if (ATTR_LEN(a) >= 4)
		memcpy(&v, ATTR_DATA(a), 4);
	return ntohl(v);
}

static uint64_t get_be64(const struct nlattr *a)
{
	uint64_t v = 0;
	if (ATTR_LEN(a) >= 8)
		memcpy(&v, ATTR_DATA(a), 8);
	return be64toh(v);
}

static void parse_ip(const struct nlattr *nest, struct ct_tuple_rec *t)
{
	FOR_EACH_ATTR(a, ATTR_DATA(nest), ATTR_LEN(nest)) {
		size_t want = ATTR_TYPE(a) <= CTA_IP_V4_DST ? 4 : 16;
		if (ATTR_LEN(a) < want)
			continue;
		switch (ATTR_TYPE(a)) {
		case CTA_IP_V4_SRC:
		case CTA_IP_V6_SRC:
			memcpy(t->src, ATTR_DATA(a), want);
			break;
		case CTA_IP_V4_DST:
		case CTA_IP_V6_DST:
			memcpy(t->dst, ATTR_DATA(a), want);
			break;
		}
	}
}

static void parse_proto(const struct nlattr *nest, struct ct_record *r, struct ct_tuple_rec *t, bool original)
{
	FOR_EACH_ATTR(a, ATTR_DATA(nest), ATTR_LEN(nest)) {
		switch (ATTR_TYPE(a)) {
		case CTA_PROTO_NUM:
			if (original)
				r->protocol = get_u8(a);
			break;
		case CTA_PROTO_SRC_PORT:
			t->sport = get_be16(a);
			r->present |= CT_HAS_PORTS;
			break;
		case CTA_PROTO_DST_PORT:
			t->dport = get_be16(a);
			r->present |= CT_HAS_PORTS;
			break;
		case CTA_PROTO_ICMP_ID:
		case CTA_PROTO_ICMPV6_ID:
			t->icmp_id = get_be16(a);
			r->present |= CT_HAS_ICMP;
			break;
		case CTA_PROTO_ICMP_TYPE:
		case CTA_PROTO_ICMPV6_TYPE:
			t->icmp_type = get_u8(a);
			r->present |= CT_HAS_ICMP;
			break;
		case CTA_PROTO_ICMP_CODE:
		case CTA_PROTO_ICMPV6_CODE:
			t->icmp_code = get_u8(a);
			r->present |= CT_HAS_ICMP;
			break;
		}
	}
}

static void parse_tuple(const struct nlattr *nest, struct ct_record *r, struct ct_tuple_rec *t, bool original)
{
	FOR_EACH_ATTR(a, ATTR_DATA(nest), ATTR_LEN(nest)) {
		if (ATTR_TYPE(a) == CTA_TUPLE_IP)
			parse_ip(a, t);
		else if (ATTR_TYPE(a) == CTA_TUPLE_PROTO)
			parse_proto(a, r, t, original);
	}
}

static void parse_counters(const struct nlattr *nest, uint64_t *packets, uint64_t *bytes)
{
	FOR_EACH_ATTR(a, ATTR_DATA(nest), ATTR_LEN(nest)) {
		if (ATTR_TYPE(a) == CTA_COUNTERS_PACKETS)
			*packets = get_be64(a);
		else if (ATTR_TYPE(a) == CTA_COUNTERS_BYTES)
			*bytes = get_be64(a);
		else if (ATTR_TYPE(a) == CTA_COUNTERS32_PACKETS)
			*packets = get_be32(a);
		else if (ATTR_TYPE(a) == CTA_COUNTERS32_BYTES)
			*bytes = get_be32(a);
	}
}

static void parse_protoinfo(const struct nlattr *nest, struct ct_record *r)
{
	FOR_EACH_ATTR(info, ATTR_DATA(nest), ATTR_LEN(nest)) {
		/* TCP, DCCP and SCTP all number their state attribute 1. */
		unsigned type = ATTR_TYPE(info);
		if (type != CTA_PROTOINFO_TCP && type != CTA_PROTOINFO_DCCP && type != CTA_PROTOINFO_SCTP)
			continue;
		FOR_EACH_ATTR(a, ATTR_DATA(info), ATTR_LEN(info)) {
			if (ATTR_TYPE(a) == 1) {
				r->state = get_u8(a);
				r->present |= CT_HAS_STATE;
			}
		}
	}
}

static void parse_timestamp(const struct nlattr *nest, struct ct_record *r)
{
	FOR_EACH_ATTR(a, ATTR_DATA(nest), ATTR_LEN(nest)) {
		if (ATTR_TYPE(a) == CTA_TIMESTAMP_START) {
			r->ts_start_s = (uint32_t)(get_be64(a) / 1000000000u);
			r->present |= CT_HAS_TS_START;
		} else if (ATTR_TYPE(a) == CTA_TIMESTAMP_STOP) {
			r->ts_stop_s = (uint32_t)(get_be64(a) / 1000000000u);
			r->present |= CT_HAS_TS_STOP;
		}
	}
}

/* One ctnetlink conntrack message → one record (returned; NULL for a truncated message). */
static struct ct_record *handle_message(const struct nlmsghdr *nlh, uint8_t kind, uint64_t time_us)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nfgenmsg)))
		return NULL;
	const struct nfgenmsg *nfg = NLMSG_DATA(nlh);
	struct ct_record *r = next_record();
	r->kind = kind;
	r->ip_version = nfg->nfgen_family == AF_INET6 ? 6 : 4;
	r->time_us = time_us;
	const char *attrs = (const char *)nfg + NLMSG_ALIGN(sizeof(*nfg));
	size_t len = nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*nfg));
	FOR_EACH_ATTR(a, attrs, len) {
		switch (ATTR_TYPE(a)) {
		case CTA_TUPLE_ORIG:
			parse_tuple(a, r, &r->orig, true);
			break;
		case CTA_TUPLE_REPLY:
			parse_tuple(a, r, &r->reply, false);
			break;
		case CTA_STATUS:
			r->status = get_be32(a);
			r->present |= CT_HAS_STATUS;
			break;
		case CTA_PROTOINFO:
			parse_protoinfo(a, r);
			break;
		case CTA_TIMEOUT:
			r->timeout = get_be32(a);
			r->present |= CT_HAS_TIMEOUT;
			break;
		case CTA_MARK:
			r->mark = get_be32(a);
			r->present |= CT_HAS_MARK;
			break;
		case CTA_COUNTERS_ORIG:
			parse_counters(a, &r->orig_packets, &r->orig_bytes);
			r->present |= CT_HAS_COUNTERS_ORIG;
			break;
		case CTA_COUNTERS_REPLY:
			parse_counters(a, &r->reply_packets, &r->reply_bytes);
			r->present |= CT_HAS_COUNTERS_REPLY;
			break;
		case CTA_ID:
			r->id = get_be32(a);
			r->present |= CT_HAS_ID;
			break;
		case CTA_ZONE:
			r->zone = get_be16(a);
			r->present |= CT_HAS_ZONE;
			break;
		case CTA_TIMESTAMP:
			parse_timestamp(a, r);
			break;
		}
	}
	return r;
}

/* ---- sockets -------------------------------------------------------------------------------- */

static int open_socket(unsigned groups)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		die(EXIT_UNAVAILABLE, "socket(AF_NETLINK, NETLINK_NETFILTER)");
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = groups };
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die(EXIT_UNAVAILABLE, groups ? "subscribing to the conntrack NEW/DESTROY event groups (needs CAP_NET_ADMIN and nf_conntrack_netlink)"
					     : "bind(NETLINK_NETFILTER)");
	return fd;
}

/* Asks for a receive buffer of `bytes`: FORCE ignores rmem_max (needs CAP_NET_ADMIN); without it the request is capped. */
static bool set_receive_buffer(int fd, int bytes)
{
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) == 0 ||
	       setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) == 0;
}

/* The READY record: the record version, and the receive buffer the kernel granted. */
static void write_ready(int fd)
{
	int granted = 0;
	socklen_t glen = sizeof(granted);
	getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &glen);
	struct ct_record *ready = next_record();
	ready->kind = CT_KIND_READY;
	ready->time_us = now_us();
	ready->id = CT_RECORD_VERSION;
	ready->status = (uint32_t)granted;
	flush_out();
}

/* The kernel's sk_drops of this socket: every event it could not queue for us. */
static uint64_t socket_drops(int fd)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 || len <= SK_MEMINFO_DROPS * sizeof(uint32_t))
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

static void write_loss(uint64_t drops)
{
	struct ct_record *r = next_record();
	r->kind = CT_KIND_LOSS;
	r->time_us = now_us();
	r->id = (uint32_t)n_overruns;
	memcpy((char *)r + 24, &drops, sizeof(drops));
	drops_reported = drops;
	flush_out();
}

/*
 * The kernel reports ENOBUFS once per overrun, but keeps dropping (and counting) every event
 * until we have emptied the queue: drops after the ENOBUFS's count would stay unreported if the
 * burst ends meanwhile. An empty queue ends the overrun, so the count read then is complete.
 */
static void report_late_drops(int fd)
{
	uint64_t drops = socket_drops(fd);
	if (drops > drops_reported)
		write_loss(drops);
}

static int run_events(long buffer_bytes)
{
	int fd = open_socket(NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_DESTROY);
	if (!set_receive_buffer(fd, (int)buffer_bytes))
		die(1, "setting the event socket's receive buffer");
	write_ready(fd);

	/*
	 * Several datagrams per system call, and what arrives in the HANDOVER_US after a wake-up
	 * handed over in one go: at 20,000 events/s that turns ~20,000 wake-ups of the agent (and as
	 * many writes, and as many reads for it) a second into ~20, at the price of ≤ 50 ms of delay
	 * in a pipeline that batches for a second anyway. Each of the agent's wake-ups costs it
	 * ~0.1 ms beyond its records: at 5 ms (~200 a second) that was ~12 % of its CPU at 10,000
	 * flows/s. Meanwhile the socket is still drained every DRAIN_US into the output buffer (which
	 * is written early when full): a table flush or a wave of closing connections queues
	 * thousands of events in a few ms, and leaving them queued for 50 ms overflowed the socket
	 * (a 20,000-entry flush lost ~6,900 events in 3 of 5 tries, none with the drains).
	 */
	enum { BATCH = 64, HANDOVER_US = 50000, DRAIN_US = 5000 };
	static char bufs[BATCH][8192];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	/* Blocked waiting (0), or gathering a hand-over that closes at this time. */
	uint64_t handover_at = 0;
	while (!stopping) {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = sizeof(bufs[i]) };
			msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int n = recvmmsg(fd, msgs, BATCH, handover_at == 0 ? MSG_WAITFORONE : MSG_DONTWAIT, NULL);
		if (n < 0 && errno == EAGAIN) {
			uint64_t now = now_us();
			if (now < handover_at) {
				/* The queue is empty but the hand-over is still gathering: drain again soon. */
				uint64_t wait = handover_at - now < DRAIN_US ? handover_at - now : DRAIN_US;
				struct timespec pause = { .tv_sec = 0, .tv_nsec = (long)wait * 1000L };
				nanosleep(&pause, NULL);
				continue;
			}
			/* Hand over what was gathered, then block until the next event. */
			handover_at = 0;
			report_late_drops(fd);
			flush_out();
			continue;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				n_overruns++;
				write_loss(socket_drops(fd));
				continue;
			}
			die(1, "receiving conntrack events");
		}
		uint64_t t = now_us();
		/* Woken by the first event after a quiet spell: gather for HANDOVER_US. */
		if (handover_at == 0)
			handover_at = t + HANDOVER_US;
		for (int i = 0; i < n; i++) {
			size_t len = msgs[i].msg_len;
			for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)bufs[i]; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
				if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_CTNETLINK)
					continue;
				unsigned type = NFNL_MSG_TYPE(nlh->nlmsg_type);
				if (type == IPCTNL_MSG_CT_DELETE)
					handle_message(nlh, CT_KIND_DESTROY, t);
				else if (type == IPCTNL_MSG_CT_NEW)
					handle_message(nlh, (nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) ? CT_KIND_NEW : CT_KIND_UPDATE, t);
			}
		}
	}
	report_late_drops(fd);
	flush_out();
	return 0;
}

/* Lists one family's table: returns the entries written. */
static uint32_t dump_family(int fd, uint8_t family, uint32_t seq)
{
	struct {
		struct nlmsghdr nlh;
		struct nfgenmsg nfg;
	} req = {
		.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = seq },
		.nfg = { .nfgen_family = family, .version = NFNETLINK_V0, .res_id = 0 },
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		die(EXIT_UNAVAILABLE, "requesting a conntrack table dump");
	static char buf[RECV_BUF_BYTES];
	uint32_t entries = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(errno == EPERM ? EXIT_UNAVAILABLE : 1, "reading the conntrack table dump");
		}
		uint64_t t = now_us();
		size_t len = (size_t)n;
		for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return entries;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = NLMSG_DATA(nlh);
				if (err->error == 0)
					return entries;
				errno = -err->error;
				die(errno == EPERM ? EXIT_UNAVAILABLE : 1, "conntrack table dump");
			}
			if (NFNL_SUBSYS_ID(nlh->nlmsg_type) == NFNL_SUBSYS_CTNETLINK && NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_CT_NEW) {
				handle_message(nlh, CT_KIND_LISTED, t);
				entries++;
			}
		}
	}
}

static int run_dump(void)
{
	int fd = open_socket(0);
	set_receive_buffer(fd, 4 * 1024 * 1024);
	uint32_t entries = dump_family(fd, AF_INET, 1);
	entries += dump_family(fd, AF_INET6, 2);
	struct ct_record *end = next_record();
	end->kind = CT_KIND_DUMP_END;
	end->time_us = now_us();
	end->id = entries;
	flush_out();
	return 0;
}

/* ---- queries -------------------------------------------------------------------------------- */

/* Appends to `p` a ctnetlink GET for the entry a QUERY record names; returns the end. */
static char *build_get(char *p, const struct ct_record *q, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	struct nfgenmsg *nfg = NLMSG_DATA(nlh);
	bool v6 = q->ip_version == 6;
	*nfg = (struct nfgenmsg){ .nfgen_family = v6 ? AF_INET6 : AF_INET, .version = NFNETLINK_V0, .res_id = 0 };
	char *a = (char *)nfg + NLMSG_ALIGN(sizeof(*nfg));
	char *tuple = begin_nest(a, CTA_TUPLE_ORIG);
	char *ip = begin_nest(tuple, CTA_TUPLE_IP);
	a = put_attr(ip, v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, q->orig.src, v6 ? 16 : 4);
	a = put_attr(a, v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, q->orig.dst, v6 ? 16 : 4);
	end_nest(ip, a);
	char *proto = begin_nest(a, CTA_TUPLE_PROTO);
	a = put_attr(proto, CTA_PROTO_NUM, &q->protocol, 1);
	if (q->present & CT_HAS_PORTS) {
		uint16_t sport = htons(q->orig.sport), dport = htons(q->orig.dport);
		a = put_attr(a, CTA_PROTO_SRC_PORT, &sport, 2);
		a = put_attr(a, CTA_PROTO_DST_PORT, &dport, 2);
	} else if (q->present & CT_HAS_ICMP) {
		uint16_t icmp_id = htons(q->orig.icmp_id);
		a = put_attr(a, v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID, &icmp_id, 2);
		a = put_attr(a, v6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE, &q->orig.icmp_type, 1);
		a = put_attr(a, v6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE, &q->orig.icmp_code, 1);
	}
	end_nest(proto, a);
	end_nest(tuple, a);
	if (q->present & CT_HAS_ID) {
		/* The kernel answers ENOENT when the entry under this tuple has another id (a reuse). */
		uint32_t id = htonl(q->id);
		a = put_attr(a, CTA_ID, &id, 4);
	}
	if (q->present & CT_HAS_ZONE) {
		uint16_t zone = htons(q->zone);
		a = put_attr(a, CTA_ZONE, &zone, 2);
	}
	nlh->nlmsg_len = (uint32_t)(a - p);
	return p + NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Lookups sent together: one system call for the requests, their answers read in a few. */
#define QUERY_BATCH 128

static struct ct_record pending[QUERY_BATCH];
static unsigned n_pending;
static uint32_t query_seq;
static uint32_t answered_since_end;

/* Answers `query` with GONE: the kernel's `error` for it. */
static void write_gone(const struct ct_record *query, uint32_t error, uint64_t time_us)
{
	struct ct_record *r = next_record();
	*r = *query;
	r->kind = CT_KIND_GONE;
	r->time_us = time_us;
	r->timeout = error;
}

/* Sends the pending lookups and writes their answers, in order. */
static void answer_pending(int fd)
{
	if (n_pending == 0)
		return;
	/* A GET with a tuple, id and zone is under 120 bytes. */
	static char req[QUERY_BATCH * 128];
	char *p = req;
	uint32_t first = query_seq;
	for (unsigned i = 0; i < n_pending; i++)
		p = build_get(p, &pending[i], query_seq++);
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	while (sendto(fd, req, (size_t)(p - req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		if (errno != EINTR)
			die(1, "sending conntrack lookups");
	}
	static char buf[RECV_BUF_BYTES];
	unsigned answers = 0;
	while (answers < n_pending) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The socket holds every answer of a batch (see run_query): an overrun is a bug. */
			die(1, "reading the answers to conntrack lookups");
		}
		uint64_t t = now_us();
		size_t len = (size_t)n;
		for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			uint32_t i = nlh->nlmsg_seq - first;
			if (i >= n_pending)
				continue;
			answers++;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = NLMSG_DATA(nlh);
				write_gone(&pending[i], (uint32_t)-err->error, t);
			} else if (NFNL_SUBSYS_ID(nlh->nlmsg_type) == NFNL_SUBSYS_CTNETLINK && NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_CT_NEW) {
				struct ct_record *found = handle_message(nlh, CT_KIND_FOUND, t);
				/* The kernel looks up by tuple only: another entry under it now means ours is gone. */
				if (found && (pending[i].present & CT_HAS_ID) && (found->present & CT_HAS_ID) && found->id != pending[i].id)
					write_gone(&pending[i], ENOENT, t);
			}
		}
	}
	answered_since_end += n_pending;
	n_pending = 0;
}

/* The next record on stdin into `q`; false at its end. Reads ahead: one system call per many queries. */
static bool next_query(struct ct_record *q)
{
	static struct ct_record in[256];
	static size_t have, at;
	while (have - at < sizeof(*q)) {
		/* Keep a partial record, then read more behind it. */
		memmove(in, (char *)in + at, have - at);
		have -= at;
		at = 0;
		ssize_t n = read(STDIN_FILENO, (char *)in + have, sizeof(in) - have);
		if (n == 0)
			return false;
		if (n < 0) {
			if (errno == EINTR && !stopping)
				continue;
			if (errno == EINTR)
				return false;
			die(1, "reading queries from stdin");
		}
		have += (size_t)n;
	}
	memcpy(q, (char *)in + at, sizeof(*q));
	at += sizeof(*q);
	return true;
}

static int run_query(void)
{
	int fd = open_socket(0);
	/* Room for a whole batch of answers (each a few hundred bytes, a page or so of socket memory). */
	set_receive_buffer(fd, 4 * 1024 * 1024);
	write_ready(fd);

	struct ct_record q;
	while (!stopping && next_query(&q)) {
		if (q.kind == CT_KIND_QUERY) {
			if (q.ip_version != 4 && q.ip_version != 6) {
				fprintf(stderr, "query %u: ip version %u, expected 4 or 6\n", query_seq + n_pending, q.ip_version);
				return 2;
			}
			pending[n_pending++] = q;
			if (n_pending == QUERY_BATCH)
				answer_pending(fd);
		} else if (q.kind == CT_KIND_QUERY_END) {
			answer_pending(fd);
			struct ct_record *end = next_record();
			end->kind = CT_KIND_QUERY_END;
			end->time_us = now_us();
			end->id = answered_since_end;
			answered_since_end = 0;
			flush_out();
		} else {
			fprintf(stderr, "stdin: record kind %u, expected QUERY (%u) or QUERY_END (%u)\n", q.kind, CT_KIND_QUERY, CT_KIND_QUERY_END);
			return 2;
		}
	}
	answer_pending(fd);
	flush_out();
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: segflow-conntrack-reader events [--buffer-size BYTES] | dump | query\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	/* A killed agent (SIGKILL, OOM) must not leave its reader behind: in a quiet namespace no
	 * write would ever fail to tell it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 0;
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "dump") == 0) {
		if (argc != 2)
			usage();
		return run_dump();
	}
	if (strcmp(argv[1], "query") == 0) {
		if (argc != 2)
			usage();
		return run_query();
	}
	if (strcmp(argv[1], "events") != 0)
		usage();
	long buffer = 8 * 1024 * 1024;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--buffer-size") == 0 && i + 1 < argc) {
			char *end;
			buffer = strtol(argv[++i], &end, 10);
			if (*end != '\0' || buffer <= 0 || buffer > (1L << 30)) {
				fprintf(stderr, "--buffer-size: expected bytes in 1..%ld, got %s\n", 1L << 30, argv[i]);
				return 2;
			}
		} else {
			usage();
		}
	}
	return run_events(buffer);
}
