/* SPDX-License-Identifier: MIT */
/* prog.c - program images and loading them from .bin, .s and ELF files. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm.h"
#include "dma_buf.h"
#include "elf_read.h"
#include "handle.h"
#include "opts.h"
#include "prog.h"

int hermes__prog_new(const void *image, size_t image_len, size_t code_len,
		     struct hermes_prog **progp)
{
	struct hermes_prog *prog;

	if (code_len == 0 || code_len % 8 || code_len > image_len)
		return hermes__err(NULL, -EINVAL,
				   "program code length %zu is not a non-zero multiple of 8 within the image (%zu bytes)",
				   code_len, image_len);
	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return hermes__err(NULL, -ENOMEM, "out of memory for a %zu-byte program", image_len);
	prog->image = hermes__dma_buf(image_len);
	if (!prog->image) {
		free(prog);
		return hermes__err(NULL, -ENOMEM, "out of memory for a %zu-byte program", image_len);
	}
	memcpy(prog->image, image, image_len);
	prog->image_len = image_len;
	prog->code_len = code_len;
	*progp = prog;
	return 0;
}

int hermes_prog_from_bytecode(const void *code, size_t len, struct hermes_prog **progp)
{
	return hermes__prog_new(code, len, len, progp);
}

int hermes_prog_from_image(const void *image, size_t image_len, size_t code_len,
			   struct hermes_prog **progp)
{
	return hermes__prog_new(image, image_len, code_len, progp);
}

void hermes_prog_free(struct hermes_prog *prog)
{
	if (!prog)
		return;
	free(prog->image);
	free(prog->maps);
	free(prog);
}

const void *hermes_prog_image(const struct hermes_prog *prog) { return prog->image; }
size_t hermes_prog_image_len(const struct hermes_prog *prog) { return prog->image_len; }
size_t hermes_prog_code_len(const struct hermes_prog *prog) { return prog->code_len; }

/* Read a whole file; NUL-terminates the buffer (not counted in *lenp). */
int hermes__read_file(const char *path, char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int err;

	if (!f)
		return hermes__err(NULL, -errno, "cannot open '%s': %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			char *nbuf;

			if (cap >= HERMES_READ_FILE_MAX) {
				err = hermes__err(NULL, -EFBIG, "'%s' is larger than %u MiB (or never ends, as "
						  "/dev/zero): no program or input for the card is that large",
						  path, HERMES_READ_FILE_MAX >> 20);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				err = hermes__err(NULL, -ENOMEM, "out of memory reading '%s'", path);
				goto fail;
			}
			buf = nbuf;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		err = hermes__err(NULL, -e, "cannot read '%s': %s", path, strerror(e));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	fclose(f);
	return err;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int prog_from_asm_text(const char *path, const char *text, size_t len,
			      struct hermes_prog **progp)
{
	struct hermes_asm_error aerr;
	struct hermes_insn *insns = NULL;
	size_t n = 0;
	int err;

	if (strlen(text) != len)
		return hermes__err(NULL, -EINVAL, "%s: assembly text contains a NUL byte at offset %zu",
				   path, strlen(text));
	err = hermes_asm(text, &insns, &n, &aerr);
	if (err == -EINVAL)
		return hermes__err(NULL, err, "%s:%u:%u: %s", path, aerr.line, aerr.col, aerr.msg);
	if (err)
		return hermes__err(NULL, err, "cannot assemble '%s': %s", path, strerror(-err));
	if (n == 0) {
		free(insns);
		return hermes__err(NULL, -EINVAL, "%s: no instructions", path);
	}
	err = hermes__prog_new(insns, n * 8, n * 8, progp);
	free(insns);
	return err;
}

int hermes__prog_load_elf(const char *path, const void *buf, size_t len,
			  const char *section, struct hermes_prog **progp)
{
	struct hermes_elf_image img;
	int err;

	if (!progp)
		return hermes__err(NULL, -EINVAL, "hermes__prog_load_elf: progp is required");
	if ((err = hermes__elf_read(path, buf, len, section, &img)))
		return err;
	err = hermes__prog_new(img.image, img.image_len, img.code_len, progp);
	free(img.image);
	if (err) {
		free(img.maps);
		return err;
	}
	(*progp)->maps = img.maps;
	(*progp)->nmaps = img.nmaps;
	return 0;
}

int hermes_prog_load(const char *path, const struct hermes_prog_opts *opts,
		     struct hermes_prog **progp)
{
	struct hermes_prog_opts o = { .sz = sizeof(o) };
	const char *section;
	char *buf;
	size_t len;
	int err;

	if (!path || !progp)
		return hermes__err(NULL, -EINVAL, "hermes_prog_load: path and progp are required");
	if ((err = hermes__opts_read(NULL, "hermes_prog_load", opts, &o, sizeof(o))))
		return err;
	section = o.section;
	err = hermes__read_file(path, &buf, &len);
	if (err)
		return err;
	if (len >= 4 && memcmp(buf, "\177ELF", 4) == 0)
		err = hermes__prog_load_elf(path, buf, len, section, progp);
	else if (section)
		err = hermes__err(NULL, -EINVAL, "%s: --section applies to ELF objects only", path);
	else if (has_suffix(path, ".s") || has_suffix(path, ".asm"))
		err = prog_from_asm_text(path, buf, len, progp);
	else if (len == 0 || len % 8)
		err = hermes__err(NULL, -EINVAL,
				  "%s: raw bytecode must be a non-zero multiple of 8 bytes, file has %zu (not ELF, not .s)",
				  path, len);
	else
		err = hermes__prog_new(buf, len, len, progp);
	free(buf);
	return err;
}
