/* SPDX-License-Identifier: MIT */
/*
 * elf.c - load a clang -target bpf relocatable object into a program image.
 *
 * The image is what goes into a program slot (engine address
 * HERMES_PROG_BASE + offset):
 *
 *   [ja to the entry]   only when the entry is not the start of its section
 *   entry section       the program
 *   other code          every code section the program calls, breadth first
 *   globals             every .rodata*, .data*, .bss* section referenced,
 *                       aligned as the object asks; .bss as zeroes
 *
 * Relocations applied: R_BPF_64_32 on calls (imm = target - pc - 1),
 * R_BPF_64_64 on lddw (engine address of the symbol plus the addend held in
 * the instruction's imm), R_BPF_64_ABS64/ABS32 in data sections (addend held
 * in the data). Anything else is refused with a message naming the file,
 * the section, the symbol and the relocation type: maps, helper calls,
 * CO-RE relocations, undefined symbols, other machines.
 *
 * The input is untrusted (tests/fuzz/fuzz_elf.c): the header and every
 * section used are bounds-checked against the file before use.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "elf_maps.h"
#include "elf_read.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* eBPF relocation types (LLVM's numbering). */
#define RELO_NONE     0
#define RELO_64_64    1  /* lddw: 64-bit address, addend in insn imm */
#define RELO_ABS64    2  /* data: 64-bit address, addend in place */
#define RELO_ABS32    3  /* data: 32-bit address, addend in place */
#define RELO_NODYLD32 4  /* debug sections only */
#define RELO_64_32    10 /* call: pc-relative instruction index */

#define SLOT_SIZE ((uint64_t)HERMES_DEFAULT_PROG_SLOT_SIZE)
#define INSN 8u
#define OP_CALL (HERMES_CLS_JMP | HERMES_JMP_CALL)
#define OP_JA (HERMES_CLS_JMP | HERMES_JMP_JA)
#define MAX_ALIGN 4096u

enum sec_kind {
	SEC_OTHER,
	SEC_CODE,  /* executable PROGBITS with instructions */
	SEC_DATA,  /* .rodata*, .data*, .bss* */
	SEC_MAPS,  /* .maps: BTF-defined maps */
	SEC_LEGACY_MAPS, /* maps, maps/..., .maps.*: refused */
};

struct sec {
	const char *name;   /* "?" when the name is unreadable */
	GElf_Shdr sh;
	Elf_Data *data;     /* contents (NULL for NOBITS and empty sections) */
	enum sec_kind kind;
	size_t rel;         /* its SHT_REL section, 0: none */
	int needed;
	uint64_t base;      /* byte offset in the image */
};

struct ld {
	const char *path;
	size_t file_len;
	Elf *elf;
	struct sec *secs;
	size_t nsecs;
	Elf_Data *syms;     /* .symtab contents, NULL: none */
	size_t nsyms;
	size_t strtab;      /* string table of .symtab */
	size_t *order;      /* needed sections, in the order found */
	size_t norder;
	size_t entry_sec;
	uint64_t entry_off;
	unsigned char *image;
	uint64_t image_len, code_len, tramp;
	unsigned char *relmark; /* per image instruction: 1 when relocated */
	size_t maps_sec;    /* the .maps section, 0: none */
	struct hermes_elf_map_sym *msyms; /* its map variables, by offset */
	struct hermes_map_def *mdefs;
	unsigned nmaps;
};

/* One decoded relocation of section s. */
struct relo {
	uint64_t off;
	unsigned type;
	size_t symidx;
	GElf_Sym sym;
	const char *symname;
	size_t tsec;        /* section of the symbol */
};

static uint16_t get16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t get64(const unsigned char *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }
static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}
static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case 3: return "Intel 80386";
	case 8: return "MIPS";
	case 20: return "PowerPC";
	case 21: return "PowerPC64";
	case 22: return "S/390";
	case 40: return "ARM";
	case 62: return "x86-64";
	case 183: return "AArch64";
	case 243: return "RISC-V";
	default: return "unknown machine";
	}
}

static const char *relo_name(unsigned type)
{
	switch (type) {
	case RELO_NONE: return "R_BPF_NONE";
	case RELO_64_64: return "R_BPF_64_64";
	case RELO_ABS64: return "R_BPF_64_ABS64";
	case RELO_ABS32: return "R_BPF_64_ABS32";
	case RELO_NODYLD32: return "R_BPF_64_NODYLD32";
	case RELO_64_32: return "R_BPF_64_32";
	default: return NULL;
	}
}

static const char *helper_name(int32_t id)
{
	switch (id) {
	case 1: return "bpf_map_lookup_elem";
	case 2: return "bpf_map_update_elem";
	case 3: return "bpf_map_delete_elem";
	case 4: return "bpf_probe_read";
	case 5: return "bpf_ktime_get_ns";
	case 6: return "bpf_trace_printk";
	case 7: return "bpf_get_prandom_u32";
	case 8: return "bpf_get_smp_processor_id";
	case 14: return "bpf_get_current_pid_tgid";
	case 25: return "bpf_perf_event_output";
	default: return "unknown helper";
	}
}

static const char *core_kind_name(uint32_t kind)
{
	static const char *const names[] = {
		"BPF_CORE_FIELD_BYTE_OFFSET", "BPF_CORE_FIELD_BYTE_SIZE",
		"BPF_CORE_FIELD_EXISTS", "BPF_CORE_FIELD_SIGNED",
		"BPF_CORE_FIELD_LSHIFT_U64", "BPF_CORE_FIELD_RSHIFT_U64",
		"BPF_CORE_TYPE_ID_LOCAL", "BPF_CORE_TYPE_ID_TARGET",
		"BPF_CORE_TYPE_EXISTS", "BPF_CORE_TYPE_SIZE",
		"BPF_CORE_ENUMVAL_EXISTS", "BPF_CORE_ENUMVAL_VALUE",
		"BPF_CORE_TYPE_MATCHES",
	};
	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown CO-RE kind";
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_legacy_map_section(const char *name)
{
	return strcmp(name, "maps") == 0 || starts_with(name, "maps/") || starts_with(name, "maps.") ||
	       starts_with(name, ".maps.");
}

static int is_data_section(const char *name)
{
	return starts_with(name, ".rodata") || starts_with(name, ".data") || starts_with(name, ".bss");
}

/* Checks on the raw header, before libelf sees the file: exact messages. */
static int check_header(const char *path, const unsigned char *b, size_t len)
{
	uint64_t shoff, shnum, end;
	unsigned machine, type, shentsize;

	if (len < 4 || memcmp(b, "\177ELF", 4) != 0)
		return hermes__err(NULL, -ENOEXEC, "%s: not an ELF file (no \\177ELF magic)", path);
	if (len < EI_NIDENT)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: truncated ELF file: the identification needs %d bytes, the file has %zu",
				   path, EI_NIDENT, len);
	if (b[EI_CLASS] == ELFCLASS32)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: 32-bit ELF object (ELFCLASS32); eBPF objects are ELFCLASS64 (compile with clang -target bpf)",
				   path);
	if (b[EI_CLASS] != ELFCLASS64)
		return hermes__err(NULL, -ENOEXEC, "%s: invalid ELF class %u", path, b[EI_CLASS]);
	if (b[EI_DATA] == ELFDATA2MSB)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: big-endian ELF object (ELFDATA2MSB); Hermes runs little-endian eBPF (compile with clang -target bpfel)",
				   path);
	if (b[EI_DATA] != ELFDATA2LSB)
		return hermes__err(NULL, -ENOEXEC, "%s: invalid ELF data encoding %u", path, b[EI_DATA]);
	if (len < sizeof(Elf64_Ehdr))
		return hermes__err(NULL, -ENOEXEC,
				   "%s: truncated ELF file: the header needs %zu bytes, the file has %zu",
				   path, sizeof(Elf64_Ehdr), len);
	machine = get16(b + offsetof(Elf64_Ehdr, e_machine));
	if (machine != EM_BPF)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: ELF machine is %u (%s), not eBPF (%u); compile with clang -target bpf",
				   path, machine, machine_name(machine), EM_BPF);
	type = get16(b + offsetof(Elf64_Ehdr, e_type));
	if (type != ET_REL)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: ELF type is %u, not a relocatable object (ET_REL); compile with clang -c",
				   path, type);
	shoff = get64(b + offsetof(Elf64_Ehdr, e_shoff));
	shnum = get16(b + offsetof(Elf64_Ehdr, e_shnum));
	shentsize = get16(b + offsetof(Elf64_Ehdr, e_shentsize));
	if (shoff == 0)
		return 0; /* no sections: reported as "no program" */
	if (shentsize != sizeof(Elf64_Shdr))
		return hermes__err(NULL, -ENOEXEC, "%s: invalid section header size %u (expected %zu)",
				   path, shentsize, sizeof(Elf64_Shdr));
	if (shoff > len || len - shoff < sizeof(Elf64_Shdr))
		return hermes__err(NULL, -ENOEXEC,
				   "%s: truncated ELF file: the section headers start at byte %llu, the file has %zu bytes",
				   path, (unsigned long long)shoff, len);
	if (shnum == 0) /* extended numbering: the count is in section 0 */
		shnum = get64(b + shoff + offsetof(Elf64_Shdr, sh_size));
	if (shnum > (len - shoff) / sizeof(Elf64_Shdr)) {
		end = shnum > UINT64_MAX / sizeof(Elf64_Shdr) - shoff ? UINT64_MAX
								       : shoff + shnum * sizeof(Elf64_Shdr);
		return hermes__err(NULL, -ENOEXEC,
				   "%s: truncated ELF file: the section headers end at byte %llu, the file has %zu bytes",
				   path, (unsigned long long)end, len);
	}
	return 0;
}

static const char *strptr(struct ld *ld, size_t strsec, size_t off)
{
	const char *s = elf_strptr(ld->elf, strsec, off);

	return s ? s : "?";
}

static int elf_fail(struct ld *ld, const char *what)
{
	return hermes__err(NULL, -ENOEXEC, "%s: malformed ELF file: %s: %s", ld->path, what,
			   elf_errmsg(-1));
}

/* Read the section headers, classify the sections, find .symtab. */
static int read_sections(struct ld *ld)
{
	size_t shstrndx, i;

	if (elf_getshdrnum(ld->elf, &ld->nsecs))
		return elf_fail(ld, "section count");
	if (ld->nsecs == 0)
		return 0;
	if (elf_getshdrstrndx(ld->elf, &shstrndx))
		return elf_fail(ld, "section name table");
	ld->secs = calloc(ld->nsecs, sizeof(*ld->secs));
	if (!ld->secs)
		return hermes__err(NULL, -ENOMEM, "%s: out of memory for %zu sections", ld->path, ld->nsecs);
	for (i = 0; i < ld->nsecs; i++) {
		struct sec *s = &ld->secs[i];
		Elf_Scn *scn = elf_getscn(ld->elf, i);

		if (!scn || !gelf_getshdr(scn, &s->sh))
			return elf_fail(ld, "section header");
		s->name = i ? strptr(ld, shstrndx, s->sh.sh_name) : "";
		if (s->sh.sh_type != SHT_NOBITS && s->sh.sh_type != SHT_NULL &&
		    (s->sh.sh_offset > ld->file_len || s->sh.sh_size > ld->file_len - s->sh.sh_offset))
			return hermes__err(NULL, -ENOEXEC,
					   "%s: truncated ELF file: section '%s' (%llu bytes at byte %llu) ends past the end of the file (%zu bytes)",
					   ld->path, s->name, (unsigned long long)s->sh.sh_size,
					   (unsigned long long)s->sh.sh_offset, ld->file_len);
	}
	for (i = 1; i < ld->nsecs; i++) {
		struct sec *s = &ld->secs[i];
		Elf_Scn *scn = elf_getscn(ld->elf, i);
		int exec = (s->sh.sh_flags & SHF_EXECINSTR) != 0;

		if (strcmp(s->name, ".maps") == 0) {
			s->kind = SEC_MAPS;
			ld->maps_sec = i;
		} else if (is_legacy_map_section(s->name)) {
			s->kind = SEC_LEGACY_MAPS;
		}
		else if (s->sh.sh_type == SHT_PROGBITS && exec && s->sh.sh_size > 0)
			s->kind = SEC_CODE;
		else if ((s->sh.sh_type == SHT_PROGBITS || s->sh.sh_type == SHT_NOBITS) && !exec &&
			 is_data_section(s->name))
			s->kind = SEC_DATA;
		if (s->kind == SEC_CODE && s->sh.sh_size % INSN)
			return hermes__err(NULL, -ENOEXEC,
					   "%s: code section '%s' is %llu bytes, not a multiple of 8 (one eBPF instruction)",
					   ld->path, s->name, (unsigned long long)s->sh.sh_size);
		if ((s->kind == SEC_CODE || s->kind == SEC_DATA) && (s->sh.sh_flags & SHF_COMPRESSED))
			return hermes__err(NULL, -ENOEXEC, "%s: section '%s' is compressed, which is not supported",
					   ld->path, s->name);
		if (s->sh.sh_type == SHT_SYMTAB && !ld->syms) {
			ld->syms = elf_getdata(scn, NULL);
			if (!ld->syms)
				return elf_fail(ld, "symbol table");
			ld->nsyms = ld->syms->d_size / sizeof(Elf64_Sym);
			ld->strtab = s->sh.sh_link;
		}
		if (s->sh.sh_type == SHT_REL || s->sh.sh_type == SHT_RELA) {
			size_t t = s->sh.sh_info;

			if (t == 0 || t >= ld->nsecs)
				continue; /* not about a section we could load */
			if (s->sh.sh_type == SHT_RELA)
				return hermes__err(NULL, -ENOEXEC,
						   "%s: section '%s' holds RELA relocations, which clang -target bpf does not produce and Hermes does not support",
						   ld->path, s->name);
			if (ld->secs[t].rel)
				return hermes__err(NULL, -ENOEXEC,
						   "%s: section '%s' has two relocation sections ('%s' and '%s')",
						   ld->path, ld->secs[t].name, ld->secs[ld->secs[t].rel].name, s->name);
			ld->secs[t].rel = i;
		}
		if ((s->kind == SEC_CODE || (s->kind == SEC_DATA && s->sh.sh_type == SHT_PROGBITS)) &&
		    s->sh.sh_size > 0) {
			s->data = elf_getdata(scn, NULL);
			if (!s->data || s->data->d_size != s->sh.sh_size || !s->data->d_buf)
				return elf_fail(ld, s->name);
		}
	}
	return 0;
}

static int get_sym(struct ld *ld, size_t idx, GElf_Sym *sym, const char **name)
{
	if (!ld->syms || idx >= ld->nsyms || !gelf_getsym(ld->syms, (int)idx, sym))
		return -1;
	if (GELF_ST_TYPE(sym->st_info) == STT_SECTION && sym->st_shndx < ld->nsecs)
		*name = ld->secs[sym->st_shndx].name;
	else
		*name = strptr(ld, ld->strtab, sym->st_name);
	return 0;
}

/* Name of the function of section s that holds byte offset off, or NULL. */
static const char *func_at(struct ld *ld, size_t s, uint64_t off)
{
	GElf_Sym sym;
	const char *name;
	size_t i;

	for (i = 1; i < ld->nsyms; i++) {
		if (get_sym(ld, i, &sym, &name) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx != s)
			continue;
		if (off >= sym.st_value && off - sym.st_value < (sym.st_size ? sym.st_size : 1))
			return name;
	}
	return NULL;
}

/* Append "'s'" to a comma-separated list in buf. */
static void list_add(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 >= size)
		return;
	snprintf(buf + n, size - n, "%s'%s'", n ? ", " : "", s);
}

/*
 * Entry of section s: its only global function, or its start when it has
 * none; several global functions must be chosen by name.
 */
static int section_entry(struct ld *ld, size_t s)
{
	char list[256] = "";
	GElf_Sym sym;
	const char *name;
	size_t i, n = 0;

	ld->entry_sec = s;
	ld->entry_off = 0;
	for (i = 1; i < ld->nsyms; i++) {
		if (get_sym(ld, i, &sym, &name) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    GELF_ST_BIND(sym.st_info) != STB_GLOBAL || sym.st_shndx != s)
			continue;
		list_add(list, sizeof(list), name);
		ld->entry_off = sym.st_value;
		n++;
	}
	if (n > 1)
		return hermes__err(NULL, -ENOENT,
				   "%s: section '%s' holds %zu functions, choose one by name: %s",
				   ld->path, ld->secs[s].name, n, list);
	if (n == 0)
		ld->entry_off = 0;
	if (ld->entry_off % INSN || ld->entry_off >= ld->secs[s].sh.sh_size)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: function %s starts at byte %llu of section '%s', not at an instruction in it",
				   ld->path, list, (unsigned long long)ld->entry_off, ld->secs[s].name);
	return 0;
}

static int find_entry(struct ld *ld, const char *want)
{
	char progs[256] = "", funcs[256] = "";
	size_t i, nprogs = 0, text = 0, prog = 0;
	GElf_Sym sym;
	const char *name;

	for (i = 1; i < ld->nsecs; i++) {
		if (ld->secs[i].kind != SEC_CODE)
			continue;
		if (strcmp(ld->secs[i].name, ".text") == 0) {
			text = i;
			continue;
		}
		list_add(progs, sizeof(progs), ld->secs[i].name);
		prog = i;
		nprogs++;
	}
	if (!text && !nprogs)
		return hermes__err(NULL, -ENOENT,
				   "%s: no program: the object has no executable section with eBPF code", ld->path);
	if (!want) {
		if (nprogs == 1)
			return section_entry(ld, prog);
		if (nprogs == 0)
			return section_entry(ld, text);
		return hermes__err(NULL, -ENOENT,
				   "%s: %zu program sections, choose one by section or function name: %s",
				   ld->path, nprogs, progs);
	}
	for (i = 1; i < ld->nsecs; i++) {
		if (strcmp(ld->secs[i].name, want) != 0)
			continue;
		if (ld->secs[i].kind == SEC_CODE)
			return section_entry(ld, i);
		return hermes__err(NULL, -ENOENT, "%s: section '%s' holds no eBPF code", ld->path, want);
	}
	for (i = 1; i < ld->nsyms; i++) {
		if (get_sym(ld, i, &sym, &name) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx >= ld->nsecs || ld->secs[sym.st_shndx].kind != SEC_CODE)
			continue;
		if (strcmp(name, want) == 0) {
			if (sym.st_value % INSN || sym.st_value >= ld->secs[sym.st_shndx].sh.sh_size)
				return hermes__err(NULL, -ENOEXEC,
						   "%s: function '%s' starts at byte %llu of section '%s', not at an instruction in it",
						   ld->path, want, (unsigned long long)sym.st_value,
						   ld->secs[sym.st_shndx].name);
			ld->entry_sec = sym.st_shndx;
			ld->entry_off = sym.st_value;
			return 0;
		}
		list_add(funcs, sizeof(funcs), name);
	}
	return hermes__err(NULL, -ENOENT,
			   "%s: no program section or function named '%s' (sections: %s; functions: %s)",
			   ld->path, want, progs[0] ? progs : "none", funcs[0] ? funcs : "none");
}

static void need(struct ld *ld, size_t s)
{
	if (ld->secs[s].needed)
		return;
	ld->secs[s].needed = 1;
	ld->order[ld->norder++] = s;
}

/* Number of relocations of section s, or a negative errno. */
static long nrelos(struct ld *ld, size_t s)
{
	size_t r = ld->secs[s].rel;
	Elf_Data *d;

	if (!r)
		return 0;
	d = elf_getdata(elf_getscn(ld->elf, r), NULL);
	if (!d)
		return elf_fail(ld, ld->secs[r].name);
	return (long)(d->d_size / sizeof(Elf64_Rel));
}

/* Decode relocation k of section s; refuse symbols that cannot be placed. */
static int get_relo(struct ld *ld, size_t s, long k, struct relo *r)
{
	const struct sec *sec = &ld->secs[s];
	Elf_Data *d = elf_getdata(elf_getscn(ld->elf, sec->rel), NULL);
	const char *tname;
	GElf_Rel rel;

	if (!d || !gelf_getrel(d, (int)k, &rel))
		return elf_fail(ld, ld->secs[sec->rel].name);
	r->off = rel.r_offset;
	r->type = (unsigned)GELF_R_TYPE(rel.r_info);
	r->symidx = GELF_R_SYM(rel.r_info);
	r->symname = "?";
	if (!relo_name(r->type))
		return hermes__err(NULL, -ENOEXEC,
				   "%s: relocation type %u at '%s'+0x%llx is not an eBPF relocation Hermes knows",
				   ld->path, r->type, sec->name, (unsigned long long)r->off);
	if (r->type == RELO_NONE)
		return 0;
	if (get_sym(ld, r->symidx, &r->sym, &r->symname))
		return hermes__err(NULL, -ENOEXEC,
				   "%s: relocation %s at '%s'+0x%llx refers to symbol %zu, which the symbol table lacks",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symidx);
	if (r->sym.st_shndx == SHN_UNDEF)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: relocation %s at '%s'+0x%llx refers to undefined symbol '%s' (externs, kfuncs and kconfig are not supported)",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symname);
	if (r->sym.st_shndx >= SHN_LORESERVE || r->sym.st_shndx >= ld->nsecs)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: relocation %s at '%s'+0x%llx refers to symbol '%s' in special section 0x%x (common or absolute symbols are not supported; compile with -fno-common)",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symname,
				   (unsigned)r->sym.st_shndx);
	r->tsec = r->sym.st_shndx;
	tname = ld->secs[r->tsec].name;
	if (ld->secs[r->tsec].kind == SEC_LEGACY_MAPS)
		return hermes__err(NULL, -ENOTSUP,
				   "%s: relocation %s at '%s'+0x%llx refers to '%s' in legacy map section '%s': declare maps the libbpf way, in section '.maps' with __uint/__type (<bpf/bpf_helpers.h>)",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symname, tname);
	if (ld->secs[r->tsec].kind == SEC_MAPS && r->type != RELO_64_64)
		return hermes__err(NULL, -ENOTSUP,
				   "%s: relocation %s at '%s'+0x%llx refers to map '%s': only lddw (R_BPF_64_64) may take a map's address",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symname);
	if (ld->secs[r->tsec].kind == SEC_OTHER)
		return hermes__err(NULL, -ENOTSUP,
				   "%s: relocation %s at '%s'+0x%llx refers to '%s' in section '%s', which is neither code nor .rodata/.data/.bss",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symname, tname);
	if (r->sym.st_value > ld->secs[r->tsec].sh.sh_size)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: relocation %s at '%s'+0x%llx: symbol '%s' lies outside its section '%s'",
				   ld->path, relo_name(r->type), sec->name, (unsigned long long)r->off, r->symname, tname);
	return 0;
}

static int relo_err(struct ld *ld, size_t s, const struct relo *r, const char *what)
{
	return hermes__err(NULL, -ENOEXEC, "%s: relocation %s at '%s'+0x%llx against '%s': %s", ld->path,
			   relo_name(r->type), ld->secs[s].name, (unsigned long long)r->off, r->symname, what);
}

/* Target instruction index (in its section) of a call relocation. */
static int64_t call_target(const struct relo *r, const unsigned char *insn)
{
	return (int64_t)(r->sym.st_value / INSN) + (int32_t)get32(insn + 4) + 1;
}

/* Check the relocations of section s and mark what they need. */
static int scan_relos(struct ld *ld, size_t s)
{
	const struct sec *sec = &ld->secs[s];
	const unsigned char *bytes = sec->data ? sec->data->d_buf : NULL;
	uint64_t size = sec->sh.sh_size;
	long k, n = nrelos(ld, s);
	struct relo r;
	int err;

	if (n < 0)
		return (int)n;
	for (k = 0; k < n; k++) {
		if ((err = get_relo(ld, s, k, &r)))
			return err;
		if (r.type == RELO_NONE)
			continue;
		if (sec->kind == SEC_CODE) {
			if (r.off % INSN || r.off >= size)
				return relo_err(ld, s, &r, "offset is not an instruction of the section");
			if (r.type == RELO_64_64) {
				if (bytes[r.off] != HERMES_OP_LDDW || size - r.off < 2 * INSN)
					return relo_err(ld, s, &r, "the instruction is not a complete lddw");
			} else if (r.type == RELO_64_32) {
				const struct sec *t = &ld->secs[r.tsec];
				int64_t tgt = call_target(&r, bytes + r.off);

				if (bytes[r.off] != OP_CALL)
					return relo_err(ld, s, &r, "the instruction is not a call");
				if (t->kind != SEC_CODE)
					return relo_err(ld, s, &r, "the call target is not code");
				if (r.sym.st_value % INSN || tgt < 0 || (uint64_t)tgt >= t->sh.sh_size / INSN)
					return relo_err(ld, s, &r, "the call target lies outside the target section");
			} else {
				return relo_err(ld, s, &r, "this relocation type is not supported in code");
			}
		} else {
			unsigned w = r.type == RELO_ABS64 ? 8 : 4;

			if (r.type != RELO_ABS64 && r.type != RELO_ABS32)
				return relo_err(ld, s, &r, "this relocation type is not supported in data");
			if (!bytes)
				return relo_err(ld, s, &r, "the section has no contents to relocate");
			if (r.off > size || size - r.off < w)
				return relo_err(ld, s, &r, "offset lies outside the section");
		}
		if (ld->secs[r.tsec].kind != SEC_MAPS)
			need(ld, r.tsec);
	}
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Place code then globals; refuse an image larger than a program slot. */
static int layout(struct ld *ld)
{
	uint64_t off, code = 0, total;
	size_t i;

	ld->tramp = ld->entry_off ? INSN : 0;
	off = ld->tramp;
	for (i = 0; i < ld->norder; i++) {
		struct sec *s = &ld->secs[ld->order[i]];

		if (s->kind != SEC_CODE)
			continue;
		s->base = off;
		off += s->sh.sh_size < SLOT_SIZE ? s->sh.sh_size : SLOT_SIZE + 1;
	}
	code = off;
	for (i = 0; i < ld->norder; i++) {
		struct sec *s = &ld->secs[ld->order[i]];
		uint64_t a = s->sh.sh_addralign ? s->sh.sh_addralign : 1;

		if (s->kind != SEC_DATA)
			continue;
		if (a & (a - 1) || a > MAX_ALIGN)
			return hermes__err(NULL, -ENOEXEC,
					   "%s: section '%s' asks for alignment %llu (a power of two up to %u is supported)",
					   ld->path, s->name, (unsigned long long)a, MAX_ALIGN);
		off = align_up(off, a);
		s->base = off;
		off += s->sh.sh_size < SLOT_SIZE ? s->sh.sh_size : SLOT_SIZE + 1;
	}
	total = off;
	if (total > SLOT_SIZE)
		return hermes__err(NULL, -E2BIG,
				   "%s: the program needs %llu bytes (%llu of code, %llu of globals) but a program slot holds %llu",
				   ld->path, (unsigned long long)total, (unsigned long long)code,
				   (unsigned long long)(total - code), (unsigned long long)SLOT_SIZE);
	ld->code_len = code;
	ld->image_len = total;
	ld->image = calloc(1, total);
	ld->relmark = calloc(1, code / INSN + 1);
	if (!ld->image || !ld->relmark)
		return hermes__err(NULL, -ENOMEM, "%s: out of memory for a %llu-byte image", ld->path,
				   (unsigned long long)total);
	for (i = 0; i < ld->norder; i++) {
		struct sec *s = &ld->secs[ld->order[i]];

		if (s->data)
			memcpy(ld->image + s->base, s->data->d_buf, s->sh.sh_size);
	}
	if (ld->tramp) { /* ja to the entry function */
		uint64_t tgt = (ld->secs[ld->entry_sec].base + ld->entry_off) / INSN;

		ld->image[0] = OP_JA;
		ld->image[2] = (unsigned char)(tgt - 1);
		ld->image[3] = (unsigned char)((tgt - 1) >> 8);
	}
	return 0;
}

/* The descriptor address of the map a lddw relocation names (symbol + addend). */
static int map_addr(struct ld *ld, size_t s, const struct relo *r, int32_t addend, uint64_t *addr)
{
	uint64_t off = r->sym.st_value + (uint64_t)(int64_t)addend;
	char what[200];

	for (unsigned i = 0; i < ld->nmaps; i++) {
		if (ld->msyms[i].off == off) {
			*addr = HERMES_MAP_BASE + (uint64_t)HERMES_MAP_DESC_SIZE * i;
			return 0;
		}
	}
	snprintf(what, sizeof(what), "no map starts at offset %llu of section '.maps' (a missing map, or an address inside one)",
		 (unsigned long long)off);
	return hermes__err(NULL, -ENOEXEC, "%s: relocation %s at '%s'+0x%llx against '%s': %s", ld->path,
			   relo_name(r->type), ld->secs[s].name, (unsigned long long)r->off, r->symname, what);
}

/* Patch the relocations of section s in the image. */
static int apply_relos(struct ld *ld, size_t s)
{
	const struct sec *sec = &ld->secs[s];
	long k, n = nrelos(ld, s);
	struct relo r;
	int err;

	if (n < 0)
		return (int)n;
	for (k = 0; k < n; k++) {
		unsigned char *p;
		uint64_t addr = 0;

		if ((err = get_relo(ld, s, k, &r)))
			return err;
		if (r.type == RELO_NONE)
			continue;
		p = ld->image + sec->base + r.off;
		if (ld->secs[r.tsec].kind == SEC_MAPS) {
			if ((err = map_addr(ld, s, &r, (int32_t)get32(p + 4), &addr)))
				return err;
			put32(p + 4, (uint32_t)addr);
			put32(p + INSN + 4, (uint32_t)(addr >> 32));
			ld->relmark[(sec->base + r.off) / INSN] = 1;
			continue;
		}
		addr = HERMES_PROG_BASE + ld->secs[r.tsec].base + r.sym.st_value;
		switch (r.type) {
		case RELO_64_64:
			addr += (uint64_t)(int64_t)(int32_t)get32(p + 4);
			put32(p + 4, (uint32_t)addr);
			put32(p + INSN + 4, (uint32_t)(addr >> 32));
			ld->relmark[(sec->base + r.off) / INSN] = 1;
			break;
		case RELO_64_32: {
			int64_t tgt = (int64_t)(ld->secs[r.tsec].base / INSN) + call_target(&r, p);
			int64_t pc = (int64_t)((sec->base + r.off) / INSN);

			put32(p + 4, (uint32_t)(int32_t)(tgt - pc - 1));
			ld->relmark[pc] = 1;
			break;
		}
		case RELO_ABS64:
			put64(p, addr + get64(p));
			break;
		case RELO_ABS32:
			put32(p, (uint32_t)(addr + get32(p)));
			break;
		}
	}
	return 0;
}

static int code_err(struct ld *ld, size_t s, uint64_t off, const char *what)
{
	const char *fn = func_at(ld, s, off);

	if (fn)
		return hermes__err(NULL, -ENOTSUP, "%s: %s at '%s'+0x%llx in function '%s'", ld->path, what,
				   ld->secs[s].name, (unsigned long long)off, fn);
	return hermes__err(NULL, -ENOTSUP, "%s: %s at '%s'+0x%llx", ld->path, what, ld->secs[s].name,
			   (unsigned long long)off);
}

/* Refuse helper calls, map loads and calls leaving their section. */
static int check_code(struct ld *ld, size_t s)
{
	const struct sec *sec = &ld->secs[s];
	uint64_t first = sec->base / INSN, n = sec->sh.sh_size / INSN, i;
	char what[160];

	for (i = 0; i < n; i++) {
		const unsigned char *p = ld->image + (first + i) * INSN;
		unsigned src = p[1] >> 4;
		int32_t imm = (int32_t)get32(p + 4);

		if (p[0] == HERMES_OP_LDDW) {
			if (src != 0) {
				snprintf(what, sizeof(what),
					 "lddw with src %u (a map or BTF pseudo-load) is not supported", src);
				return code_err(ld, s, i * INSN, what);
			}
			i++; /* the second slot is data */
		} else if (p[0] == OP_CALL && src == 0 && !hermes__helper_supported(imm)) {
			snprintf(what, sizeof(what),
				 "call to helper %d (%s): Hermes has helpers 1-3 and 5-8 only (docs/MAPS.md)", imm,
				 helper_name(imm));
			return code_err(ld, s, i * INSN, what);
		} else if (p[0] == OP_CALL && src == 1 && !ld->relmark[first + i]) {
			int64_t tgt = (int64_t)i + imm + 1;

			if (tgt < 0 || (uint64_t)tgt >= n) {
				snprintf(what, sizeof(what),
					 "call to instruction %lld of the section (outside it) without a relocation",
					 (long long)tgt);
				return code_err(ld, s, i * INSN, what);
			}
		}
	}
	return 0;
}

/* .BTF string at off, or NULL. */
static const char *btf_str(const unsigned char *btf, size_t btf_len, uint32_t off)
{
	uint32_t hdr, str_off, str_len;
	const unsigned char *p;

	if (!btf || btf_len < 24 || get16(btf) != 0xeb9f)
		return NULL;
	hdr = get32(btf + 4);
	str_off = get32(btf + 16);
	str_len = get32(btf + 20);
	if (hdr > btf_len || str_off > btf_len - hdr || str_len > btf_len - hdr - str_off ||
	    off >= str_len)
		return NULL;
	p = btf + hdr + str_off;
	if (!memchr(p + off, '\0', str_len - off))
		return NULL;
	return (const char *)p + off;
}

static const unsigned char *sec_bytes(struct ld *ld, const char *name, size_t *len)
{
	size_t i;

	for (i = 1; i < ld->nsecs; i++) {
		if (strcmp(ld->secs[i].name, name) == 0 && ld->secs[i].sh.sh_type == SHT_PROGBITS) {
			Elf_Data *d = elf_getdata(elf_getscn(ld->elf, i), NULL);

			if (!d || !d->d_buf)
				return NULL;
			*len = d->d_size;
			return d->d_buf;
		}
	}
	return NULL;
}

/*
 * CO-RE relocations live in .BTF.ext, not in ELF relocation sections:
 * refuse any that applies to a loaded code section.
 */
static int check_core(struct ld *ld)
{
	size_t ext_len = 0, btf_len = 0, i;
	const unsigned char *ext = sec_bytes(ld, ".BTF.ext", &ext_len);
	const unsigned char *btf = sec_bytes(ld, ".BTF", &btf_len);
	uint32_t hdr, off, len, rec;
	const unsigned char *p, *end;

	if (!ext)
		return 0;
	if (ext_len < 8 || get16(ext) != 0xeb9f)
		return hermes__err(NULL, -ENOEXEC, "%s: section '.BTF.ext' is malformed (bad header)", ld->path);
	hdr = get32(ext + 4);
	if (hdr < 32 || hdr > ext_len)
		return 0; /* no CO-RE part */
	off = get32(ext + 24);
	len = get32(ext + 28);
	if (len == 0)
		return 0;
	if (off > ext_len - hdr || len > ext_len - hdr - off || len < 4)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: section '.BTF.ext' is malformed (CO-RE relocations outside it)", ld->path);
	p = ext + hdr + off;
	end = p + len;
	rec = get32(p);
	p += 4;
	if (rec < 16)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: section '.BTF.ext' is malformed (CO-RE record size %u)", ld->path, rec);
	while ((size_t)(end - p) >= 8) {
		const char *secname = btf_str(btf, btf_len, get32(p));
		uint32_t num = get32(p + 4);
		size_t s = 0;

		p += 8;
		if (num == 0)
			continue;
		if ((size_t)(end - p) / rec < num)
			return hermes__err(NULL, -ENOEXEC,
					   "%s: section '.BTF.ext' is malformed (CO-RE records past its end)", ld->path);
		for (i = 1; secname && i < ld->nsecs; i++)
			if (strcmp(ld->secs[i].name, secname) == 0)
				s = i;
		if (!s || ld->secs[s].needed) {
			uint32_t insn_off = get32(p), type_id = get32(p + 4), kind = get32(p + 12);
			const char *access = btf_str(btf, btf_len, get32(p + 8));
			const char *fn = s ? func_at(ld, s, insn_off) : NULL;

			return hermes__err(NULL, -ENOTSUP,
					   "%s: CO-RE relocation %s (BTF type %u, access '%s') at '%s'+0x%x in function '%s' (from .BTF.ext): CO-RE needs kernel BTF, which Hermes does not have",
					   ld->path, core_kind_name(kind), type_id, access ? access : "?",
					   secname ? secname : "?", insn_off, fn ? fn : "?");
		}
		p += (size_t)rec * num;
	}
	return 0;
}

/* A legacy map section, even unused by the program, is refused. */
static int check_legacy_maps(struct ld *ld)
{
	GElf_Sym sym;
	const char *name;
	size_t i, k;

	for (i = 1; i < ld->nsecs; i++) {
		if (ld->secs[i].kind != SEC_LEGACY_MAPS)
			continue;
		for (k = 1; k < ld->nsyms; k++) {
			if (get_sym(ld, k, &sym, &name) || sym.st_shndx != i ||
			    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
				continue;
			return hermes__err(NULL, -ENOTSUP,
					   "%s: legacy section '%s' defines BPF map '%s': declare maps the libbpf way, in section '.maps' with __uint/__type (<bpf/bpf_helpers.h>)",
					   ld->path, ld->secs[i].name, name);
		}
		return hermes__err(NULL, -ENOTSUP,
				   "%s: legacy section '%s' holds BPF maps: declare maps the libbpf way, in section '.maps' with __uint/__type (<bpf/bpf_helpers.h>)",
				   ld->path, ld->secs[i].name);
	}
	return 0;
}

static int cmp_map_sym(const void *a, const void *b)
{
	const struct hermes_elf_map_sym *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The maps of .maps: its symbols (by offset) and their BTF definitions,
 * placed in a default map slot so that a map too large is refused now.
 */
static int read_maps(struct ld *ld)
{
	const struct sec *ms;
	const unsigned char *btf;
	struct hermes_map_desc *descs;
	size_t btf_len = 0, k;
	GElf_Sym sym;
	const char *name;
	int err;

	if (!ld->maps_sec)
		return 0;
	ms = &ld->secs[ld->maps_sec];
	ld->msyms = calloc(ld->nsyms + 1, sizeof(*ld->msyms));
	if (!ld->msyms)
		return hermes__err(NULL, -ENOMEM, "%s: out of memory", ld->path);
	for (k = 1; k < ld->nsyms; k++) {
		if (get_sym(ld, k, &sym, &name) || sym.st_shndx != ld->maps_sec ||
		    GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		if (sym.st_size == 0 || sym.st_value > ms->sh.sh_size || sym.st_size > ms->sh.sh_size - sym.st_value)
			return hermes__err(NULL, -ENOEXEC,
					   "%s: map '%s': its symbol (%llu bytes at offset %llu) does not lie inside section '.maps' (%llu bytes)",
					   ld->path, name, (unsigned long long)sym.st_size, (unsigned long long)sym.st_value,
					   (unsigned long long)ms->sh.sh_size);
		ld->msyms[ld->nmaps].name = name;
		ld->msyms[ld->nmaps].off = sym.st_value;
		ld->msyms[ld->nmaps].size = sym.st_size;
		ld->nmaps++;
	}
	if (!ld->nmaps)
		return 0;
	qsort(ld->msyms, ld->nmaps, sizeof(*ld->msyms), cmp_map_sym);
	for (unsigned i = 1; i < ld->nmaps; i++)
		if (ld->msyms[i].off < ld->msyms[i - 1].off + ld->msyms[i - 1].size)
			return hermes__err(NULL, -ENOEXEC, "%s: maps '%s' and '%s' overlap in section '.maps'",
					   ld->path, ld->msyms[i - 1].name, ld->msyms[i].name);
	if (ld->nmaps > HERMES_MAP_MAX)
		return hermes__err(NULL, -E2BIG, "%s: %u maps, more than the %u of a map slot (the %uth is '%s')",
				   ld->path, ld->nmaps, HERMES_MAP_MAX, HERMES_MAP_MAX + 1, ld->msyms[HERMES_MAP_MAX].name);
	btf = sec_bytes(ld, ".BTF", &btf_len);
	ld->mdefs = calloc(ld->nmaps, sizeof(*ld->mdefs));
	descs = calloc(ld->nmaps, sizeof(*descs));
	if (!ld->mdefs || !descs) {
		free(descs);
		return hermes__err(NULL, -ENOMEM, "%s: out of memory", ld->path);
	}
	err = hermes__elf_maps_read(ld->path, btf, btf_len, ld->msyms, ld->nmaps, ld->mdefs);
	if (!err && (err = hermes__map_layout(ld->mdefs, ld->nmaps, HERMES_DEFAULT_ENGINES,
					      HERMES_DEFAULT_MAP_SLOT_SIZE, descs))) {
		char why[400];

		snprintf(why, sizeof(why), "%s", hermes_dev_errmsg(NULL));
		hermes__err(NULL, err, "%s: %s", ld->path, why);
	}
	free(descs);
	return err;
}

static int load(struct ld *ld, const char *section)
{
	size_t i;
	int err;

	if ((err = read_sections(ld)))
		return err;
	if ((err = check_legacy_maps(ld)) || (err = read_maps(ld)))
		return err;
	if ((err = find_entry(ld, section)))
		return err;
	ld->order = calloc(ld->nsecs, sizeof(*ld->order));
	if (!ld->order)
		return hermes__err(NULL, -ENOMEM, "%s: out of memory", ld->path);
	need(ld, ld->entry_sec);
	for (i = 0; i < ld->norder; i++) /* grows as sections are found */
		if ((err = scan_relos(ld, ld->order[i])))
			return err;
	if ((err = check_core(ld)) || (err = layout(ld)))
		return err;
	for (i = 0; i < ld->norder; i++)
		if ((err = apply_relos(ld, ld->order[i])))
			return err;
	for (i = 0; i < ld->norder; i++)
		if (ld->secs[ld->order[i]].kind == SEC_CODE && (err = check_code(ld, ld->order[i])))
			return err;
	return 0;
}

int hermes__elf_read(const char *path, const void *buf, size_t len, const char *section,
		     struct hermes_elf_image *img)
{
	struct ld ld = { .path = path ? path : "(memory)", .file_len = len };
	char *copy = NULL;
	int err;

	if (!buf || !img)
		return hermes__err(NULL, -EINVAL, "hermes__elf_read: buf and img are required");
	if ((err = check_header(ld.path, buf, len)))
		return err;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return hermes__err(NULL, -ENOSYS, "libelf is too old: %s", elf_errmsg(-1));
	copy = malloc(len); /* libelf wants a writable buffer */
	if (!copy)
		return hermes__err(NULL, -ENOMEM, "%s: out of memory for %zu bytes", ld.path, len);
	memcpy(copy, buf, len);
	ld.elf = elf_memory(copy, len);
	if (!ld.elf || elf_kind(ld.elf) != ELF_K_ELF)
		err = elf_fail(&ld, "not readable by libelf");
	else
		err = load(&ld, section);
	if (!err) {
		img->image = ld.image;
		img->image_len = ld.image_len;
		img->code_len = ld.code_len;
		img->maps = ld.mdefs;
		img->nmaps = ld.nmaps;
		ld.image = NULL;
		ld.mdefs = NULL;
	}
	if (ld.elf)
		elf_end(ld.elf);
	free(copy);
	free(ld.secs);
	free(ld.order);
	free(ld.image);
	free(ld.relmark);
	free(ld.msyms);
	free(ld.mdefs);
	return err;
}
