/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record format of segflow-conntrack-reader: the one place it is defined. The Node decoder
 * (src/collector/sources/conntrack/conntrack-record-decoder.ts) reads exactly these offsets;
 * change both together and bump CT_RECORD_VERSION (the reader's READY record carries it).
 *
 * Every record is CT_RECORD_SIZE (160) bytes, little-endian, written back to back on stdout.
 * Fixed size instead of length-prefixed: the reader only ever writes these kinds, and a fixed
 * stride lets the decoder walk a chunk with plain offset arithmetic.
 *
 *   off size  field
 *     0  u8   kind: 1 NEW, 2 UPDATE, 3 DESTROY (events), 4 LISTED (a table dump line),
 *             5 DUMP_END (end of one dump), 6 FOUND (an entry a query asked for), 7 GONE (a
 *             query the table could not answer), 8 QUERY and 9 QUERY_END (the agent's, on the
 *             `query` reader's stdin; QUERY_END is answered with one), 16 READY, 17 LOSS
 *     1  u8   ip version (4 or 6)                      [entries]
 *     2  u8   layer 4 protocol number                  [entries]
 *     3  u8   protocol state (kernel enum: TCP_CONNTRACK_*, SCTP_CONNTRACK_*, CT_DCCP_*), if CT_HAS_STATE
 *     4  u32  presence bits (CT_HAS_*)
 *     8  u64  receive time, microseconds since the Unix epoch (CLOCK_REALTIME) — every kind
 *    16  u32  conntrack id                                           if CT_HAS_ID
 *    20  u32  status bits (IPS_*: 1<<1 SEEN_REPLY, 1<<2 ASSURED, ...) if CT_HAS_STATUS
 *    24  u32  timeout, seconds                                       if CT_HAS_TIMEOUT
 *    28  u32  mark                                                   if CT_HAS_MARK
 *    32  u16  zone                                                   if CT_HAS_ZONE
 *    34  u16  reserved (0)
 *    36  u32  timestamp start, whole seconds since the epoch          if CT_HAS_TS_START
 *    40  u32  timestamp stop, whole seconds since the epoch           if CT_HAS_TS_STOP
 *    44  u32  reserved (0)
 *    48  tuple original (40 bytes), 88 tuple reply (40 bytes):
 *          +0  16 bytes source address (IPv4: the first 4 bytes, rest 0), network order
 *         +16  16 bytes destination address
 *         +32  u16 source port, +34 u16 destination port  (host order) if CT_HAS_PORTS
 *         +36  u8 icmp type, +37 u8 icmp code, +38 u16 icmp id         if CT_HAS_ICMP
 *   128  u64  original packets, 136 u64 original bytes              if CT_HAS_COUNTERS_ORIG
 *   144  u64  reply packets,    152 u64 reply bytes                 if CT_HAS_COUNTERS_REPLY
 *
 * READY (once, after the event socket is subscribed or the query socket is open): u32 at 16 = CT_RECORD_VERSION, u32 at 20
 *   = the receive buffer the kernel granted (bytes; SO_RCVBUF reads back double the request).
 * LOSS (after each ENOBUFS on the event socket, and when the socket is drained or the reader
 *   stops with drops not yet reported): u32 at 16 = overruns so far (ENOBUFS errors),
 *   u64 at 24 = events the kernel dropped so far on this socket (its sk_drops, SO_MEMINFO):
 *   cumulative, so a reader that misses one LOSS record still counts everything.
 * DUMP_END: u32 at 16 = entries listed in this dump.
 * QUERY (agent → `query` reader): ip version, protocol, presence (CT_HAS_ID, CT_HAS_ZONE and
 *   CT_HAS_PORTS or CT_HAS_ICMP), id, zone and the original tuple of the entry to look up; the
 *   rest 0. Answered, in order, by a FOUND record (the entry as a dump lists it) or a GONE one;
 *   the kernel looks up by tuple alone, so a FOUND entry with another id is followed by a GONE
 *   for the query.
 * GONE: the QUERY record again, with kind 7, the answer's time at 8 and u32 at 24 = the kernel's
 *   error (errno; 2, ENOENT: the table holds no such entry any more).
 * QUERY_END: after it, every query before it has been answered; u32 at 16 (in the answer) =
 *   queries answered since the previous QUERY_END.
 */
#ifndef SEGFLOW_CONNTRACK_RECORD_H
#define SEGFLOW_CONNTRACK_RECORD_H

#include <stdint.h>

#define CT_RECORD_VERSION 2
#define CT_RECORD_SIZE 160

enum ct_record_kind {
	CT_KIND_NEW = 1,
	CT_KIND_UPDATE = 2,
	CT_KIND_DESTROY = 3,
	CT_KIND_LISTED = 4,
	CT_KIND_DUMP_END = 5,
	CT_KIND_FOUND = 6,
	CT_KIND_GONE = 7,
	CT_KIND_QUERY = 8,
	CT_KIND_QUERY_END = 9,
	CT_KIND_READY = 16,
	CT_KIND_LOSS = 17,
};

enum ct_presence {
	CT_HAS_ID = 1u << 0,
	CT_HAS_STATUS = 1u << 1,
	CT_HAS_TIMEOUT = 1u << 2,
	CT_HAS_MARK = 1u << 3,
	CT_HAS_ZONE = 1u << 4,
	CT_HAS_TS_START = 1u << 5,
	CT_HAS_TS_STOP = 1u << 6,
	CT_HAS_STATE = 1u << 7,
	CT_HAS_PORTS = 1u << 8,
	CT_HAS_ICMP = 1u << 9,
	CT_HAS_COUNTERS_ORIG = 1u << 10,
	CT_HAS_COUNTERS_REPLY = 1u << 11,
};

struct ct_tuple_rec {
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint16_t icmp_id;
};

struct ct_record {
	uint8_t kind;
	uint8_t ip_version;
	uint8_t protocol;
	uint8_t state;
	uint32_t present;
	uint64_t time_us;
	uint32_t id;
	uint32_t status;
	uint32_t timeout;
	uint32_t mark;
	uint16_t zone;
	uint16_t reserved1;
	uint32_t ts_start_s;
	uint32_t ts_stop_s;
	uint32_t reserved2;
	struct ct_tuple_rec orig;
	struct ct_tuple_rec reply;
	uint64_t orig_packets;
	uint64_t orig_bytes;
	uint64_t reply_packets;
	uint64_t reply_bytes;
};

_Static_assert(sizeof(struct ct_tuple_rec) == 40, "tuple layout");
_Static_assert(sizeof(struct ct_record) == CT_RECORD_SIZE, "record layout");
_Static_assert(__builtin_offsetof(struct ct_record, orig) == 48, "orig offset");
_Static_assert(__builtin_offsetof(struct ct_record, reply) == 88, "reply offset");
_Static_assert(__builtin_offsetof(struct ct_record, orig_packets) == 128, "counters offset");

#endif
