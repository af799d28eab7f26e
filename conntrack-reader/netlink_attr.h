/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing netlink attributes into a request buffer: what segflow-conntrack-reader's lookups and
 * the agent-cpu bench's table filler (bench/fixtures/conntrack-fill.c) both build messages with.
 * The caller sizes the buffer.
 */
#ifndef SEGFLOW_NETLINK_ATTR_H
#define SEGFLOW_NETLINK_ATTR_H

#include <stdint.h>
#include <string.h>
#include <linux/netlink.h>

/* Appends attribute `type` holding `len` bytes of `data` at `p`; returns the end (aligned). */
static inline char *put_attr(char *p, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)p;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy(p + NLA_HDRLEN, data, len);
	memset(p + NLA_HDRLEN + len, 0, NLA_ALIGN(a->nla_len) - a->nla_len);
	return p + NLA_ALIGN(a->nla_len);
}

/* Opens nested attribute `type` at `p`; returns where its members go (close it with end_nest). */
static inline char *begin_nest(char *p, uint16_t type)
{
	((struct nlattr *)p)->nla_type = type | NLA_F_NESTED;
	return p + NLA_HDRLEN;
}

/* Closes the nest opened at `inside` (begin_nest's result), whose members end at `end`. */
static inline void end_nest(char *inside, const char *end)
{
	struct nlattr *a = (struct nlattr *)(inside - NLA_HDRLEN);
	a->nla_len = (uint16_t)(end - (const char *)a);
}

#endif
