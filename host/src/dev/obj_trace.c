/* SPDX-License-Identifier: MIT */
/*
 * obj_trace.c - trace_printk lines of a run: the engine stored each call's
 * format address and arguments (docs/MAPS.md "Trace buffer"); the text is
 * made here with the format string from the program image, using the
 * conversions Linux's bpf_trace_printk accepts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"

#define LINE_MAX_LEN 1024
#define FMT_MAX 512

void hermes__obj_trace_clear(struct hermes_obj *obj)
{
	for (unsigned i = 0; i < obj->ntrace; i++)
		free(obj->trace_lines[i]);
	free(obj->trace_lines);
	obj->trace_lines = NULL;
	obj->ntrace = obj->trace_lost = 0;
}

static uint64_t le64(const uint8_t *p) { return hermes__le32(p) | (uint64_t)hermes__le32(p + 4) << 32; }

/* The format text at engine address a (size bytes at most): the image's, or the map slot's on "ref". */
static int fmt_text(const struct hermes_obj *obj, uint64_t a, uint32_t size, char *out)
{
	const uint8_t *src = NULL;
	uint64_t avail = 0;

	if (size > FMT_MAX - 1)
		size = FMT_MAX - 1;
	if (a >= HERMES_PROG_BASE && a - HERMES_PROG_BASE < obj->prog->image_len) {
		src = obj->prog->image + (a - HERMES_PROG_BASE);
		avail = obj->prog->image_len - (a - HERMES_PROG_BASE);
	} else if (obj->map_slot && a >= HERMES_MAP_BASE && a - HERMES_MAP_BASE < obj->map_slot_size) {
		src = obj->map_slot + (a - HERMES_MAP_BASE);
		avail = obj->map_slot_size - (a - HERMES_MAP_BASE);
	}
	if (!src)
		return -1;
	if (size > avail)
		size = (uint32_t)avail;
	memcpy(out, src, size);
	out[size] = '\0';
	return 0;
}

/* printf of one record with Linux's trace_printk conversions. */
static void format(const char *fmt, const uint64_t args[3], char *out, size_t len)
{
	size_t n = 0;
	unsigned used = 0;

#define PUT(...) do { int w_ = snprintf(out + n, len - n, __VA_ARGS__); \
		n += w_ < 0 ? 0 : ((size_t)w_ < len - n ? (size_t)w_ : len - n - 1); } while (0)
	out[0] = '\0';
	for (const char *p = fmt; *p && n + 1 < len; p++) {
		const char *start = p;
		unsigned longs = 0;

		if (*p != '%') {
			out[n++] = *p;
			out[n] = '\0';
			continue;
		}
		if (p[1] == '%') {
			PUT("%%");
			p++;
			continue;
		}
		while (p[1] == 'l' && longs < 2) {
			longs++;
			p++;
		}
		p++;
		if (!*p) {
			PUT("%.*s", (int)(p - start), start);
			break;
		}
		if (!strchr("diuxp", *p) || (*p == 'p' && longs)) {
			/* up to the conversion letter */
			while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
				p++;
			PUT("(unsupported %.*s)", (int)(p - start + (*p ? 1 : 0)), start);
			if (!*p)
				break;
			used++;
			continue;
		}
		if (used >= 3) {
			PUT("(missing argument)");
			continue;
		}
		uint64_t v = args[used++];
		switch (*p) {
		case 'd':
		case 'i':
			if (longs)
				PUT("%" PRId64, (int64_t)v);
			else
				PUT("%" PRId32, (int32_t)(uint32_t)v);
			break;
		case 'u':
			PUT("%" PRIu64, longs ? v : (uint32_t)v);
			break;
		case 'x':
			PUT("%" PRIx64, longs ? v : (uint32_t)v);
			break;
		case 'p':
			PUT("0x%" PRIx64, v);
			break;
		}
	}
#undef PUT
}

int hermes__obj_trace_format(struct hermes_obj *obj)
{
	const uint8_t *b = obj->trace_buf;
	uint32_t count = hermes__le32(b);
	unsigned stored = count < HERMES_MAP_TRACE_RECORDS ? count : HERMES_MAP_TRACE_RECORDS;
	char fmt[FMT_MAX], line[LINE_MAX_LEN];

	hermes__obj_trace_clear(obj);
	if (!stored) {
		obj->trace_lost = count;
		return 0;
	}
	obj->trace_lines = calloc(stored, sizeof(*obj->trace_lines));
	if (!obj->trace_lines)
		return hermes__err(obj->dev, -ENOMEM, "out of memory for %u trace lines", stored);
	for (unsigned k = 0; k < stored; k++) {
		const uint8_t *r = b + HERMES_MAP_TRACE_REC_OFF + HERMES_MAP_TRACE_REC_SIZE * k;
		uint64_t a = le64(r), args[3] = { le64(r + 16), le64(r + 24), le64(r + 32) };
		size_t n;

		if (fmt_text(obj, a, hermes__le32(r + 8), fmt))
			snprintf(line, sizeof(line), "(trace_printk format at 0x%" PRIx64 " is outside the program image)", a);
		else
			format(fmt, args, line, sizeof(line));
		n = strlen(line);
		while (n && line[n - 1] == '\n') /* bpf_printk's formats end in a newline */
			line[--n] = '\0';
		if (!(obj->trace_lines[k] = strdup(line)))
			return hermes__err(obj->dev, -ENOMEM, "out of memory for a trace line");
		obj->ntrace = k + 1;
	}
	obj->trace_lost = count - stored;
	return 0;
}
