/* SPDX-License-Identifier: MIT */
/*
 * fuzz_asm.c - libFuzzer target for the assembler (host/src/isa/asm.c) and the
 * disassembler (host/src/isa/disasm.c), docs/ASSEMBLY.md.
 *
 * Each input is used twice:
 *  - as text: hermes_asm() either assembles it or refuses it with a 1-based
 *    line:col inside the text and a message; for accepted text, the
 *    disassembly of the slots assembles back to the same slots;
 *  - as raw slots (8 bytes each): asm(disasm(x)) == x, and the decoder
 *    alone (hermes__disasm_decode) already round-trips, so that the
 *    `.quad` fallback of hermes_disasm_insn() is never what saves it.
 * Any violation aborts with the offending text or slot.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"

/* Raw inputs are cut to this many slots: longer ones add time, not coverage. */
#define MAX_RAW_SLOTS 512

static uint64_t slot_value(const struct hermes_insn *i)
{
	return (uint64_t)i->opcode | (uint64_t)i->regs << 8 |
	       (uint64_t)(uint16_t)i->off << 16 | (uint64_t)(uint32_t)i->imm << 32;
}

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_asm: %s\n--- text ---\n%s\n--- end ---\n", what, text ? text : "");
	abort();
}

/* Append line to a growing text buffer (aborts on allocation failure). */
static void append(char **buf, size_t *len, size_t *cap, const char *line)
{
	size_t n = strlen(line);

	if (*len + n + 2 > *cap) {
		*cap = (*len + n + 2) * 2;
		*buf = realloc(*buf, *cap);
		if (!*buf)
			abort();
	}
	memcpy(*buf + *len, line, n);
	*len += n;
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
}

/*
 * Disassemble slots[0..n) with the decoder alone (raw != 0) or with
 * hermes_disasm_insn(); returns the malloc'd text, one line per instruction.
 */
static char *disasm_all(const struct hermes_insn *slots, size_t n, int raw)
{
	char *text = malloc(1), line[HERMES_DISASM_LEN];
	size_t len = 0, cap = 1;

	if (!text)
		abort();
	text[0] = '\0';
	for (size_t pc = 0; pc < n;) {
		int k = raw ? hermes__disasm_decode(slots, n, pc, line, sizeof(line))
			    : hermes_disasm_insn(slots, n, pc, line, sizeof(line));

		if (k != 1 && k != 2) {
			fprintf(stderr, "fuzz_asm: disassembly of slot %zu (0x%016" PRIx64 ") returned %d\n",
				pc, slot_value(&slots[pc]), k);
			abort();
		}
		if (k == 2 && pc + 1 >= n)
			fail("the disassembler took two slots at the last slot", line);
		append(&text, &len, &cap, line);
		pc += (size_t)k;
	}
	return text;
}

/* The disassembly of slots[0..n) must assemble back to exactly those slots. */
static void check_round_trip(const struct hermes_insn *slots, size_t n, int raw)
{
	char *text = disasm_all(slots, n, raw);
	struct hermes_asm_error err;
	struct hermes_insn *back = NULL;
	size_t nback = 0;
	int rc = hermes_asm(text, &back, &nback, &err);

	if (rc) {
		fprintf(stderr, "fuzz_asm: disassembly (%s) does not assemble: %u:%u: %s\n",
			raw ? "decoder" : "hermes_disasm_insn", err.line, err.col, err.msg);
		fail("round trip", text);
	}
	if (nback != n) {
		fprintf(stderr, "fuzz_asm: %zu slots disassembled, %zu assembled back\n", n, nback);
		fail("round trip", text);
	}
	for (size_t i = 0; i < n; i++) {
		if (memcmp(&back[i], &slots[i], sizeof(slots[i]))) {
			fprintf(stderr, "fuzz_asm: slot %zu: 0x%016" PRIx64 " came back as 0x%016" PRIx64
				" (%s)\n", i, slot_value(&slots[i]), slot_value(&back[i]),
				raw ? "decoder" : "hermes_disasm_insn");
			fail("round trip", text);
		}
	}
	free(back);
	free(text);
}

/* Text: assembled, or refused with a position inside the text and a message. */
static void check_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct hermes_asm_error err;
	struct hermes_insn *slots = NULL;
	size_t n = 0, lines = 1;
	int rc;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; text[i]; i++)
		lines += text[i] == '\n';
	rc = hermes_asm(text, &slots, &n, &err);
	if (rc == 0) {
		if (n && !slots)
			fail("accepted with slots but no array", text);
		check_round_trip(slots, n, 0);
		check_round_trip(slots, n, 1);
	} else if (rc == -EINVAL) {
		if (err.line < 1 || err.line > lines || err.col < 1 || !err.msg[0] ||
		    !memchr(err.msg, '\0', sizeof(err.msg))) {
			fprintf(stderr, "fuzz_asm: refused with line %u col %u (text has %zu lines), msg '%.*s'\n",
				err.line, err.col, lines, (int)sizeof(err.msg), err.msg);
			fail("bad error position or message", text);
		}
		/* The column points into the line (or just past its end). */
		const char *line = text;
		for (unsigned l = 1; l < err.line; l++)
			line = strchr(line, '\n') + 1;
		const char *eol = strchr(line, '\n');
		size_t line_len = eol ? (size_t)(eol - line) : strlen(line);
		if (err.col > line_len + 1) {
			fprintf(stderr, "fuzz_asm: %u:%u: %s: column past the end of a %zu-character line\n",
				err.line, err.col, err.msg, line_len);
			fail("bad error column", text);
		}
	} else {
		fprintf(stderr, "fuzz_asm: hermes_asm returned %d\n", rc);
		fail("unexpected return", text);
	}
	free(slots);
	free(text);
}

/* Raw slots: both the full disassembler and the decoder alone round-trip. */
static void check_raw(const uint8_t *data, size_t size)
{
	size_t n = size / sizeof(struct hermes_insn);
	struct hermes_insn *slots;

	if (n > MAX_RAW_SLOTS)
		n = MAX_RAW_SLOTS;
	if (!n)
		return;
	slots = malloc(n * sizeof(*slots));
	if (!slots)
		abort();
	memcpy(slots, data, n * sizeof(*slots));
	check_round_trip(slots, n, 0);
	check_round_trip(slots, n, 1);
	free(slots);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_text(data, size);
	check_raw(data, size);
	return 0;
}
