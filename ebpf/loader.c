// SPDX-License-Identifier: Apache-2.0
/*
 * segflow-ebpf: loads the flow probe, attaches it, and streams what it sees to stdout.
 *
 *   segflow-ebpf [--iface NAME]... [--iface-prefix PREFIX]... [--interval-ms N]
 *                [--all-netns] [--flow-entries N]
 *
 * Run it in the network namespace whose interfaces it should watch (e.g. through
 * `ip netns exec`). Drops are kept only for that namespace unless --all-netns is given.
 *
 * Output: length-delimited binary records (format below, also decoded by
 * src/collector/sources/ebpf/ebpf-record-parser.ts). Binary rather than newline JSON because
 * drop events arrive per packet: fixed-layout records cost the loader a memcpy instead of
 * printf-formatting addresses, and the agent a few DataView reads instead of JSON.parse; the
 * length prefix lets a reader skip record types it does not know. Diagnostics go to stderr as
 * text lines.
 *
 * Frame: u32 length of what follows, u16 type, u16 version (1), body. Everything is
 * little-endian (the native order of every architecture we build for; checked at compile time).
 *
 * Exit status: 0 after SIGTERM/SIGINT (final drain done, tc filters detached), 2 for bad
 * arguments, 3 when eBPF is not available or not permitted (the line on stderr starting with
 * "unavailable:" says why), 1 for a runtime failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "flow_probe.h"
#include "flow_probe.skel.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the record format is little-endian and written with memcpy: port the writer first"
#endif

enum rec_type { REC_HELLO = 1, REC_IFACE = 2, REC_FLOW = 3, REC_DROP = 4, REC_INTERVAL = 5 };
#define REC_VERSION 1

/* tc filter identity: fixed, so a restarted loader replaces the filters a killed one left. */
#define TC_HANDLE 0x5e9f
#define TC_PRIORITY 0x5e9f

#define MAX_IFACES 1024
#define MAX_PATTERNS 64
#define EXIT_UNAVAILABLE 3

struct iface {
	int ifindex;
	char name[IF_NAMESIZE];
	bool created_qdisc; /* we created clsact, so we remove it again */
};

static struct {
	const char *names[MAX_PATTERNS];
	int n_names;
	const char *prefixes[MAX_PATTERNS];
	int n_prefixes;
	unsigned interval_ms;
	bool all_netns;
	unsigned flow_entries;
} args = { .interval_ms = 10000, .flow_entries = 65536 };

static struct flow_probe *skel;
static struct iface ifaces[MAX_IFACES];
static int n_ifaces;
static volatile sig_atomic_t stopping;
static char *reason_names[FP_REASON_SLOTS];
static __u64 reason_totals[FP_REASON_SLOTS];
static int ncpus;
static __u64 *percpu_buf;
static struct fp_flow_key *drain_keys;
static struct fp_flow_value *drain_values;
static __u64 interval_seq;
static struct ring_buffer *rb;
static __s64 drop_offset;
static __u32 netfilter_reason;

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("segflow-ebpf: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- output ---------------------------------------------------------------------------- */

static unsigned char frame[4096];
static size_t frame_len;

static void frame_begin(enum rec_type type)
{
	__u16 t = type, v = REC_VERSION;
	frame_len = 4; /* the length is filled in by frame_end */
	memcpy(frame + frame_len, &t, 2);
	memcpy(frame + frame_len + 2, &v, 2);
	frame_len += 4;
}

static void put(const void *p, size_t n)
{
	if (frame_len + n > sizeof(frame))
		return; /* cannot happen with our record sizes; never overflow if it did */
	memcpy(frame + frame_len, p, n);
	frame_len += n;
}
#define PUT(x) put(&(x), sizeof(x))

static void put_str(const char *s)
{
	__u8 n = (__u8)(strlen(s) > 255 ? 255 : strlen(s));
	PUT(n);
	put(s, n);
}

static void frame_end(void)
{
	__u32 len = (__u32)(frame_len - 4);
	memcpy(frame, &len, 4);
	if (fwrite(frame, 1, frame_len, stdout) != frame_len)
		stopping = 2; /* the agent went away (EPIPE): clean up and leave */
}

/* Offset that turns bpf_ktime_get_ns() (CLOCK_MONOTONIC) into Unix time. */
static __s64 mono_to_unix_offset(void)
{
	struct timespec rt, mono;
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return ((__s64)rt.tv_sec - mono.tv_sec) * 1000000000LL + (rt.tv_nsec - mono.tv_nsec);
}

static __u64 now_unix_ns(void)
{
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	return (__u64)rt.tv_sec * 1000000000ULL + rt.tv_nsec;
}

static void put_key(const struct fp_flow_key *k)
{
	put(k->src, 16);
	put(k->dst, 16);
	PUT(k->sport);
	PUT(k->dport);
}

/* ---- drop reasons ------------------------------------------------------------------------ */

/* Names of enum skb_drop_reason from the running kernel's BTF, without the SKB_DROP_REASON_ prefix. */
static int load_reason_names(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	if (!btf)
		return -errno;
	__s32 id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id < 0) {
		btf__free(btf);
		return -ENOENT;
	}
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_enum *e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, e++) {
		const char *name = btf__name_by_offset(btf, e->name_off);
		if (!name)
			continue;
		if (strncmp(name, "SKB_DROP_REASON_", 16) == 0)
			name += 16;
		if (strcmp(name, "NETFILTER_DROP") == 0)
			netfilter_reason = (__u32)e->val;
		if ((__u32)e->val < FP_REASON_SLOTS - 1 && !reason_names[e->val])
			reason_names[e->val] = strdup(name);
	}
	btf__free(btf);
	reason_names[FP_REASON_SLOTS - 1] = strdup("OTHER_SUBSYSTEM");
	return netfilter_reason ? 0 : -ENOENT;
}

/* ---- interfaces -------------------------------------------------------------------------- */

static int l3_offset_of(const char *name)
{
	char path[128], buf[16] = "";
	snprintf(path, sizeof(path), "/sys/class/net/%s/type", name);
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	int type = atoi(buf);
	/* ARPHRD_ETHER and ARPHRD_LOOPBACK carry an Ethernet header at tc; tunnels (ipip,
	 * wireguard, ...) start at the IP header. */
	return (type == 1 || type == 772) ? 14 : 0;
}

static bool wanted(const char *name)
{
	for (int i = 0; i < args.n_names; i++)
		if (strcmp(args.names[i], name) == 0)
			return true;
	for (int i = 0; i < args.n_prefixes; i++)
		if (strncmp(args.prefixes[i], name, strlen(args.prefixes[i])) == 0)
			return true;
	return false;
}

static void emit_iface(const struct iface *ifc, __u8 attached)
{
	__u32 ifindex = (__u32)ifc->ifindex;
	frame_begin(REC_IFACE);
	PUT(ifindex);
	PUT(attached);
	put_str(ifc->name);
	frame_end();
}

/* Attaches both directions; returns 0, or -errno (the caller decides whether that is fatal). */
static int attach_iface(int ifindex, const char *name)
{
	if (n_ifaces >= MAX_IFACES)
		return -E2BIG;
	struct iface *ifc = &ifaces[n_ifaces];
	__u32 key = (__u32)ifindex, l3off = (__u32)l3_offset_of(name);
	int err;

	/* Watched before attached: the programs ignore interfaces that are not in the map. */
	err = bpf_map_update_elem(bpf_map__fd(skel->maps.watched_ifaces), &key, &l3off, BPF_ANY);
	if (err)
		return -errno;
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		goto fail;
	ifc->created_qdisc = err == 0;

	const struct { enum bpf_tc_attach_point point; struct bpf_program *prog; } dirs[] = {
		{ BPF_TC_INGRESS, skel->progs.fp_tc_ingress },
		{ BPF_TC_EGRESS, skel->progs.fp_tc_egress },
	};
	for (size_t i = 0; i < 2; i++) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = ifindex, .attach_point = dirs[i].point);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, o, .handle = TC_HANDLE, .priority = TC_PRIORITY,
				    .prog_fd = bpf_program__fd(dirs[i].prog), .flags = BPF_TC_F_REPLACE);
		err = bpf_tc_attach(&h, &o);
		if (err)
			goto fail;
	}
	ifc->ifindex = ifindex;
	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	n_ifaces++;
	emit_iface(ifc, 1);
	return 0;
fail:
	bpf_map_delete_elem(bpf_map__fd(skel->maps.watched_ifaces), &key);
	return err;
}

static void detach_iface(struct iface *ifc)
{
	__u32 key = (__u32)ifc->ifindex;
	const enum bpf_tc_attach_point points[] = { BPF_TC_INGRESS, BPF_TC_EGRESS };
	for (size_t i = 0; i < 2; i++) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = ifc->ifindex, .attach_point = points[i]);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, o, .handle = TC_HANDLE, .priority = TC_PRIORITY);
		bpf_tc_detach(&h, &o); /* ENOENT when the interface is gone: nothing to undo */
	}
	if (ifc->created_qdisc) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifc->ifindex, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
		bpf_tc_hook_destroy(&hook);
	}
	bpf_map_delete_elem(bpf_map__fd(skel->maps.watched_ifaces), &key);
}

/*
 * Attaches to wanted interfaces not attached yet, forgets the ones that disappeared (their
 * filters went with them). Runs at start and every interval, so workloads that come later
 * are picked up. Returns the first attach error (-errno) for the caller at start.
 */
static int rescan_ifaces(void)
{
	struct if_nameindex *list = if_nameindex();
	int first_err = 0;
	if (!list)
		return -errno;
	for (int i = 0; i < n_ifaces;) {
		bool present = false;
		for (struct if_nameindex *p = list; p->if_index; p++)
			if ((int)p->if_index == ifaces[i].ifindex && strcmp(p->if_name, ifaces[i].name) == 0)
				present = true;
		if (present) {
			i++;
			continue;
		}
		__u32 key = (__u32)ifaces[i].ifindex;
		bpf_map_delete_elem(bpf_map__fd(skel->maps.watched_ifaces), &key);
		emit_iface(&ifaces[i], 0);
		ifaces[i] = ifaces[--n_ifaces];
	}
	for (struct if_nameindex *p = list; p->if_index; p++) {
		bool known = false;
		if (!wanted(p->if_name))
			continue;
		for (int i = 0; i < n_ifaces; i++)
			if (ifaces[i].ifindex == (int)p->if_index)
				known = true;
		if (known)
			continue;
		int err = attach_iface((int)p->if_index, p->if_name);
		if (err) {
			logf_("cannot attach to %s: %s", p->if_name, strerror(-err));
			if (!first_err)
				first_err = err;
		}
	}
	if_freenameindex(list);
	return first_err;
}

/* ---- draining ---------------------------------------------------------------------------- */

static __u64 stat_total(int which)
{
	__u32 key = (__u32)which;
	__u64 sum = 0;
	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &key, percpu_buf) == 0)
		for (int c = 0; c < ncpus; c++)
			sum += percpu_buf[c];
	return sum;
}

/* Emits and deletes every entry of one (no longer written) flow map; returns the count. */
static __u32 drain_map(int fd, __s64 offset)
{
	__u32 total = 0;
	void *in = NULL;
	__u32 out_batch;
	for (;;) {
		__u32 count = args.flow_entries;
		int err = bpf_map_lookup_and_delete_batch(fd, in, &out_batch, drain_keys, drain_values, &count, NULL);
		err = err ? -errno : 0;
		for (__u32 i = 0; i < count; i++) {
			const struct fp_flow_key *k = &drain_keys[i];
			const struct fp_flow_value *v = &drain_values[i];
			__u64 first = (__u64)((__s64)v->first_ns + offset), last = (__u64)((__s64)v->last_ns + offset);
			__u8 pad[3] = { 0, 0, 0 };
			__u32 flags = v->tcp_flags;
			frame_begin(REC_FLOW);
			PUT(first);
			PUT(last);
			PUT(v->packets);
			PUT(v->bytes);
			PUT(v->ifindex);
			PUT(flags);
			PUT(k->family);
			PUT(k->proto);
			PUT(v->dir);
			PUT(v->icmp_type);
			PUT(v->icmp_code);
			put(pad, 3);
			put_key(k);
			frame_end();
		}
		total += count;
		if (err == -ENOENT || (err == 0 && count == 0))
			break; /* the whole map has been walked */
		if (err) {
			logf_("draining flow map: %s", strerror(-err));
			break;
		}
		in = &out_batch;
	}
	return total;
}

/*
 * One report interval: flip the generation so the programs write to the other map, give
 * programs already running on other CPUs time to finish (they run for microseconds; 5 ms is
 * ample), drain the old map, then report per-reason drop counts and probe health.
 */
static void end_interval(bool final)
{
	__u32 old = skel->bss->generation & 1;
	__s64 offset = mono_to_unix_offset();
	__u32 flows;

	skel->bss->generation = old ^ 1;
	__sync_synchronize();
	usleep(5000);
	/* Drop events before this interval's flows: a packet counted in the old map has met its
	 * fate by now, so the agent never sees its accounting before its drop. */
	drop_offset = mono_to_unix_offset();
	ring_buffer__consume(rb);
	flows = drain_map(bpf_map__fd(old ? skel->maps.flows_1 : skel->maps.flows_0), offset);
	if (final) /* nothing will flip back: drain what the last few ms put into the new map too */
		flows += drain_map(bpf_map__fd(old ? skel->maps.flows_0 : skel->maps.flows_1), offset);

	/* Per-reason deltas: the counters are cumulative per CPU, so no race with the writers. */
	static __u32 changed[FP_REASON_SLOTS];
	static __u64 deltas[FP_REASON_SLOTS];
	__u32 n_changed = 0;
	for (__u32 r = 0; r < FP_REASON_SLOTS; r++) {
		__u64 sum = 0;
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.drop_reasons), &r, percpu_buf))
			continue;
		for (int c = 0; c < ncpus; c++)
			sum += percpu_buf[c];
		if (sum != reason_totals[r]) {
			deltas[n_changed] = sum - reason_totals[r];
			changed[n_changed++] = r;
			reason_totals[r] = sum;
		}
	}
	__u64 ts = now_unix_ns(), seq = ++interval_seq;
	__u64 ringbuf_full = stat_total(FP_STAT_RINGBUF_FULL), map_full = stat_total(FP_STAT_FLOW_MAP_FULL);
	__u64 drop_unparsed = stat_total(FP_STAT_DROP_UNPARSED), tc_unparsed = stat_total(FP_STAT_TC_UNPARSED);
	/* Records are at most 4 KiB: reasons beyond what fits are carried to the next interval. */
	__u32 fit = n_changed > 60 ? 60 : n_changed;
	for (__u32 i = fit; i < n_changed; i++)
		reason_totals[changed[i]] -= deltas[i];
	frame_begin(REC_INTERVAL);
	PUT(ts);
	PUT(seq);
	PUT(flows);
	PUT(fit);
	PUT(ringbuf_full);
	PUT(map_full);
	PUT(drop_unparsed);
	PUT(tc_unparsed);
	for (__u32 i = 0; i < fit; i++) {
		PUT(changed[i]);
		PUT(deltas[i]);
		put_str(reason_names[changed[i]] ? reason_names[changed[i]] : "UNKNOWN");
	}
	frame_end();
	fflush(stdout);
}

static int on_drop(void *ctx, void *data, size_t size)
{
	const struct fp_drop_event *e = data;
	if (size < sizeof(*e))
		return 0;
	__u64 ts = (__u64)((__s64)e->ts_ns + drop_offset);
	__u8 pad[3] = { 0, 0, 0 };
	frame_begin(REC_DROP);
	PUT(ts);
	PUT(e->reason);
	PUT(e->ifindex);
	PUT(e->len);
	PUT(e->key.family);
	PUT(e->key.proto);
	PUT(e->tcp_flags);
	PUT(e->icmp_type);
	PUT(e->icmp_code);
	put(pad, 3);
	put_key(&e->key);
	frame_end();
	return stopping == 2 ? -EPIPE : 0;
}

/* ---- main -------------------------------------------------------------------------------- */

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap); /* verifier and load errors: the agent logs stderr */
}

static void usage(void)
{
	fprintf(stderr, "usage: segflow-ebpf [--iface NAME]... [--iface-prefix PREFIX]... [--interval-ms N] [--all-netns] [--flow-entries N]\n");
}

static int parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--all-netns") == 0) {
			args.all_netns = true;
		} else if (strcmp(a, "--iface") == 0 && v && args.n_names < MAX_PATTERNS) {
			args.names[args.n_names++] = v, i++;
		} else if (strcmp(a, "--iface-prefix") == 0 && v && args.n_prefixes < MAX_PATTERNS) {
			args.prefixes[args.n_prefixes++] = v, i++;
		} else if (strcmp(a, "--interval-ms") == 0 && v && atoi(v) >= 10) {
			args.interval_ms = (unsigned)atoi(v), i++;
		} else if (strcmp(a, "--flow-entries") == 0 && v && atoi(v) >= 16) {
			args.flow_entries = (unsigned)atoi(v), i++;
		} else {
			usage();
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int err, rc = 0;
	struct stat ns;

	if (parse_args(argc, argv))
		return 2;
	/* The agent is our parent: if it dies without stopping us, stop (and detach) anyway. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN); /* a closed stdout shows up as a write error, handled there */
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	libbpf_set_print(libbpf_log);

	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		logf_("unavailable: no kernel BTF (/sys/kernel/btf/vmlinux): the kernel lacks CONFIG_DEBUG_INFO_BTF");
		return EXIT_UNAVAILABLE;
	}
	if (load_reason_names()) {
		logf_("unavailable: the kernel's BTF has no enum skb_drop_reason with NETFILTER_DROP (kernel older than 5.17?)");
		return EXIT_UNAVAILABLE;
	}
	if (stat("/proc/self/ns/net", &ns) != 0) {
		logf_("unavailable: cannot read /proc/self/ns/net: %s", strerror(errno));
		return EXIT_UNAVAILABLE;
	}
	ncpus = libbpf_num_possible_cpus();
	percpu_buf = calloc((size_t)(ncpus > 0 ? ncpus : 1), sizeof(__u64));
	drain_keys = calloc(args.flow_entries, sizeof(*drain_keys));
	drain_values = calloc(args.flow_entries, sizeof(*drain_values));
	if (ncpus <= 0 || !percpu_buf || !drain_keys || !drain_values) {
		logf_("out of memory");
		return 1;
	}

	skel = flow_probe__open();
	if (!skel) {
		logf_("unavailable: cannot open the BPF object: %s", strerror(errno));
		return EXIT_UNAVAILABLE;
	}
	skel->rodata->filter_netns_ino = args.all_netns ? 0 : (__u32)ns.st_ino;
	bpf_map__set_max_entries(skel->maps.flows_0, args.flow_entries);
	bpf_map__set_max_entries(skel->maps.flows_1, args.flow_entries);
	err = flow_probe__load(skel);
	if (err) {
		logf_("unavailable: cannot load the BPF programs: %s%s", strerror(-err),
		      err == -EPERM ? " (needs CAP_BPF + CAP_PERFMON + CAP_NET_ADMIN, or root)" : "");
		flow_probe__destroy(skel);
		return EXIT_UNAVAILABLE;
	}
	skel->links.fp_kfree_skb = bpf_program__attach(skel->progs.fp_kfree_skb);
	if (!skel->links.fp_kfree_skb) {
		logf_("unavailable: cannot attach to the skb:kfree_skb tracepoint: %s", strerror(errno));
		flow_probe__destroy(skel);
		return EXIT_UNAVAILABLE;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.drop_events), on_drop, NULL, NULL);
	if (!rb) {
		logf_("unavailable: cannot map the ring buffer: %s", strerror(errno));
		flow_probe__destroy(skel);
		return EXIT_UNAVAILABLE;
	}

	{
		__u32 pid = (__u32)getpid(), ino = (__u32)ns.st_ino, interval = args.interval_ms;
		frame_begin(REC_HELLO);
		PUT(pid);
		PUT(ino);
		PUT(netfilter_reason);
		PUT(interval);
		frame_end();
	}
	err = rescan_ifaces();
	if (err == -EPERM || err == -EACCES) {
		logf_("unavailable: cannot attach tc programs: %s (needs CAP_NET_ADMIN)", strerror(-err));
		rc = EXIT_UNAVAILABLE;
		goto out;
	}
	fflush(stdout);

	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (;;) {
		next.tv_sec += args.interval_ms / 1000;
		next.tv_nsec += (long)(args.interval_ms % 1000) * 1000000L;
		if (next.tv_nsec >= 1000000000L)
			next.tv_sec++, next.tv_nsec -= 1000000000L;
		for (;;) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			long left_ms = (next.tv_sec - now.tv_sec) * 1000 + (next.tv_nsec - now.tv_nsec) / 1000000;
			if (left_ms <= 0 || stopping)
				break;
			drop_offset = mono_to_unix_offset();
			/* The probe wakes us only when 64 KiB are queued; after the 100 ms timeout we
			 * consume explicitly, since epoll reports nothing for events submitted without a
			 * wakeup. */
			err = ring_buffer__poll(rb, (int)(left_ms > 100 ? 100 : left_ms));
			if (err >= 0) {
				int more = ring_buffer__consume(rb);
				err = more > 0 ? err + more : err;
			}
			if (err > 0)
				fflush(stdout); /* deliver drops promptly, in batches */
			else if (err < 0 && err != -EINTR) {
				logf_("ring buffer poll: %s", strerror(-err));
				rc = 1;
				goto out;
			}
			if (stopping == 2 || ferror(stdout))
				goto out;
		}
		if (stopping)
			break;
		end_interval(false);
		rescan_ifaces();
		if (ferror(stdout))
			goto out;
	}
	/* Clean stop: the last drops and the last deltas go out before we detach. */
	end_interval(true);
out:
	for (int i = 0; i < n_ifaces; i++)
		detach_iface(&ifaces[i]);
	fflush(stdout);
	ring_buffer__free(rb);
	flow_probe__destroy(skel);
	if (ferror(stdout) && rc == 0)
		rc = 1;
	return rc;
}
