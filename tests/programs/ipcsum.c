/* SPDX-License-Identifier: MIT */
/*
 * ipcsum.c - checksums of an IPv4/UDP packet (RFC 791, RFC 768, RFC 1071).
 * The input is the packet; the program checks the headers, computes the
 * IPv4 header checksum and the UDP checksum (over the pseudo-header) and
 * stores both in the packet. r0: IP checksum in bits 0-15, UDP checksum
 * in 16-31, a verdict in 32-39 (0 ok, else which check failed).
 */
#include "hermes_prog.h"

static inline uint16_t ld16be(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline void st16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Sum of big-endian 16-bit words, an odd last byte padded with zero. */
HERMES_NOINLINE static uint64_t sum16(const uint8_t *p, uint64_t n)
{
	uint64_t s = 0, i;

	for (i = 0; i + 1 < n; i += 2)
		s += ld16be(p + i);
	if (n & 1)
		s += (uint64_t)p[n - 1] << 8;
	return s;
}

static inline uint16_t fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

HERMES_PROG(ipcsum)
{
	uint64_t hlen, tot, ulen;
	uint16_t ipc, udpc;
	uint8_t *udp;

	if (len < 20)
		return 1ull << 32;
	if (data[0] >> 4 != 4)
		return 2ull << 32;
	hlen = (uint64_t)(data[0] & 15) * 4;
	if (hlen < 20)
		return 3ull << 32;
	if (hlen > len)
		return 4ull << 32;
	tot = ld16be(data + 2);
	if (tot < hlen || tot > len)
		return 5ull << 32;
	st16be(data + 10, 0);
	ipc = (uint16_t)~fold(sum16(data, hlen));
	st16be(data + 10, ipc);
	if (fold(sum16(data, hlen)) != 0xffff) /* the receiver's check */
		return ipc | 9ull << 32;
	if (data[9] != 17)
		return ipc | 6ull << 32;
	udp = data + hlen;
	if (tot - hlen < 8)
		return ipc | 7ull << 32;
	ulen = ld16be(udp + 4);
	if (ulen < 8 || ulen > tot - hlen)
		return ipc | 8ull << 32;
	st16be(udp + 6, 0);
	udpc = (uint16_t)~fold(sum16(data + 12, 8) + 17 + ulen + sum16(udp, ulen));
	if (udpc == 0)
		udpc = 0xffff; /* 0 means "no checksum" in UDP */
	st16be(udp + 6, udpc);
	return ipc | (uint64_t)udpc << 16;
}

#ifndef __bpf__
#include "gallery.h"

void gallery_gen(struct gallery_rng *r, struct gallery_case *c)
{
	size_t ihl = 5 + (gallery_below(r, 3) ? 0 : gallery_below(r, 11));
	size_t payload = gallery_below(r, (c->max_in > 80 ? c->max_in - 80 : 1) + 1);
	size_t hlen = ihl * 4, ulen = 8 + payload, tot = hlen + ulen, i;
	uint8_t *p = c->buf;

	for (i = 0; i < tot; i++)
		p[i] = (uint8_t)gallery_rand(r);
	p[0] = (uint8_t)(0x40 | ihl);
	p[2] = (uint8_t)(tot >> 8);
	p[3] = (uint8_t)tot;
	p[9] = gallery_below(r, 8) ? 17 : 6;
	p[hlen + 4] = (uint8_t)(ulen >> 8);
	p[hlen + 5] = (uint8_t)ulen;
	c->in_len = tot + gallery_below(r, 4); /* trailing link-layer padding */
	switch (gallery_below(r, 24)) { /* now and then, a broken packet */
	case 0: p[0] = (uint8_t)(0x60 | ihl); break;
	case 1: p[0] = 0x44; break;
	case 2: c->in_len = gallery_below(r, 20); break;
	case 3: p[2] ^= 0x80; break;
	case 4: p[hlen + 4] = 0xff; break;
	case 5: p[hlen + 4] = 0; p[hlen + 5] = 7; break;
	case 6: c->in_len = hlen + gallery_below(r, 8); p[2] = 0; p[3] = (uint8_t)c->in_len; break;
	}
	c->out_len = c->in_len + 8;
}
#endif
