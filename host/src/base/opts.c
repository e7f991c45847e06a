/* SPDX-License-Identifier: MIT */
/* opts.c - reading options structs the libbpf way (opts.h). */
#include <errno.h>
#include <string.h>

#include "opts.h"

int hermes__opts_read(struct hermes_dev *dev, const char *fn, const void *opts, void *dst, size_t dst_sz)
{
	const unsigned char *p = opts;
	size_t sz;

	if (!opts)
		return 0;
	memcpy(&sz, opts, sizeof(sz));
	if (sz < sizeof(size_t))
		return hermes__err(dev, -EINVAL, "%s: opts->sz is not set (give it sizeof the struct)", fn);
	for (size_t i = dst_sz; i < sz; i++)
		if (p[i])
			return hermes__err(dev, -EINVAL,
					   "%s: opts of %zu bytes sets options past the %zu bytes this library knows "
					   "(byte %zu is not zero): built against a newer header?", fn, sz, dst_sz, i);
	memcpy(dst, opts, sz < dst_sz ? sz : dst_sz);
	memcpy(dst, &dst_sz, sizeof(dst_sz));
	return 0;
}
