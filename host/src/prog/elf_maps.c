/* SPDX-License-Identifier: MIT */
/*
 * elf_maps.c - map definitions the libbpf way: each variable of section
 * .maps is a struct whose members are __uint(name, N) (a pointer to an
 * array of N elements) and __type(name, T) (a pointer to T), as
 * <bpf/bpf_helpers.h> declares them. The BTF is read with libbpf's BTF API
 * (btf__new on the .BTF section); where a map lies comes from the ELF
 * symbol table, because clang leaves the offsets and sizes of .maps
 * variables at 0 in BTF. libbpf's whole-object open is not used.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "elf_maps.h"
#include "handle.h"

/*
 * At most this many typedefs and modifiers in a row (libbpf resolves sizes
 * to the same depth): a hostile file may chain them into a loop, which
 * btf__new does not reject.
 */
#define MAX_MOD_CHAIN 32

/* The type behind typedefs and modifiers; NULL when there is none. */
static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *out_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	unsigned hops = 0;

	while (t && (btf_is_typedef(t) || btf_is_mod(t))) {
		if (++hops > MAX_MOD_CHAIN)
			return NULL;
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

/* __uint(name, N): int (*name)[N]; 0 with *val, -1 when the member is not one. */
static int member_uint(const struct btf *btf, const struct btf_member *m, uint32_t *val)
{
	const struct btf_type *t = skip_mods(btf, m->type, NULL), *arr;

	if (!t || !btf_is_ptr(t))
		return -1;
	arr = skip_mods(btf, t->type, NULL);
	if (!arr || !btf_is_array(arr))
		return -1;
	*val = btf_array(arr)->nelems;
	return 0;
}

/* __type(name, T): T *name; 0 with sizeof(T), -1 when not one. */
static int member_type_size(const struct btf *btf, const struct btf_member *m, uint32_t *size)
{
	const struct btf_type *t = skip_mods(btf, m->type, NULL);
	long long s;

	if (!t || !btf_is_ptr(t))
		return -1;
	s = btf__resolve_size(btf, t->type);
	if (s < 0 || s > UINT32_MAX)
		return -1;
	*size = (uint32_t)s;
	return 0;
}

static int bad_field(const char *path, const char *map, const char *field, const char *what)
{
	return hermes__err(NULL, -ENOEXEC, "%s: map '%s': field '%s' %s", path, map, field, what);
}

/* One map variable's struct into def. */
static int read_def(const char *path, const struct btf *btf, uint32_t var_id,
		    const struct hermes_elf_map_sym *sym, struct hermes_map_def *def)
{
	const struct btf_type *var = btf__type_by_id(btf, var_id), *st;
	const struct btf_member *m;
	uint32_t key_type = 0, value_type = 0, v, st_id;
	int have_key_type = 0, have_value_type = 0, have_key_size = 0, have_value_size = 0;
	long long size;

	st = skip_mods(btf, var->type, &st_id);
	if (!st || !btf_is_struct(st))
		return hermes__err(NULL, -ENOEXEC,
				   "%s: map '%s': its BTF type is not a struct (declare maps with __uint and __type from <bpf/bpf_helpers.h>)",
				   path, sym->name);
	size = btf__resolve_size(btf, st_id);
	if (size < 0 || (uint64_t)size != sym->size)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: map '%s': BTF says the definition is %lld bytes, the symbol table %llu",
				   path, sym->name, size, (unsigned long long)sym->size);
	m = btf_members(st);
	for (unsigned i = 0; i < btf_vlen(st); i++, m++) {
		const char *f = btf__name_by_offset(btf, m->name_off);

		if (!f)
			f = "?";
		if (!strcmp(f, "key") || !strcmp(f, "value")) {
			int is_key = f[0] == 'k';

			if (member_type_size(btf, m, &v))
				return bad_field(path, sym->name, f, "is not a __type(name, T) pointer of known size");
			if (is_key) {
				key_type = v;
				have_key_type = 1;
			} else {
				value_type = v;
				have_value_type = 1;
			}
			continue;
		}
		if (!strcmp(f, "values"))
			return bad_field(path, sym->name, f, "(maps of maps, program arrays) is not supported");
		if (member_uint(btf, m, &v))
			return bad_field(path, sym->name, f, "is not a __uint(name, N) pointer to an array");
		if (!strcmp(f, "type"))
			def->type = v;
		else if (!strcmp(f, "max_entries"))
			def->max_entries = v;
		else if (!strcmp(f, "map_flags"))
			def->map_flags = v;
		else if (!strcmp(f, "key_size"))
			def->key_size = v, have_key_size = 1;
		else if (!strcmp(f, "value_size"))
			def->value_size = v, have_value_size = 1;
		else if (strcmp(f, "pinning") && strcmp(f, "numa_node") && strcmp(f, "map_extra"))
			return bad_field(path, sym->name, f, "is not a map attribute Hermes knows");
	}
	if (have_key_type && have_key_size && key_type != def->key_size)
		return hermes__err(NULL, -ENOEXEC, "%s: map '%s': __type(key) is %u bytes but __uint(key_size) says %u",
				   path, sym->name, key_type, def->key_size);
	if (have_value_type && have_value_size && value_type != def->value_size)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: map '%s': __type(value) is %u bytes but __uint(value_size) says %u",
				   path, sym->name, value_type, def->value_size);
	if (have_key_type)
		def->key_size = key_type;
	if (have_value_type)
		def->value_size = value_type;
	if (!def->type)
		return hermes__err(NULL, -ENOEXEC, "%s: map '%s' has no type (__uint(type, BPF_MAP_TYPE_...))",
				   path, sym->name);
	return 0;
}

/* The VAR of .maps named name, with its secinfo; 0 when none. */
static uint32_t find_var(const struct btf *btf, const struct btf_type *sec, const char *name,
			 const struct btf_var_secinfo **info)
{
	const struct btf_var_secinfo *vi = btf_var_secinfos(sec);

	for (unsigned i = 0; i < btf_vlen(sec); i++, vi++) {
		const struct btf_type *v = btf__type_by_id(btf, vi->type);
		const char *n = v && btf_is_var(v) ? btf__name_by_offset(btf, v->name_off) : NULL;

		if (n && !strcmp(n, name)) {
			*info = vi;
			return vi->type;
		}
	}
	return 0;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

int hermes__elf_maps_read(const char *path, const void *btf_bytes, size_t btf_len,
			  const struct hermes_elf_map_sym *syms, unsigned n, struct hermes_map_def *defs)
{
	const struct btf_var_secinfo *vi;
	const struct btf_type *sec;
	libbpf_print_fn_t old;
	struct btf *btf;
	int err = 0, id;

	if (!n)
		return 0;
	if (!btf_bytes)
		return hermes__err(NULL, -ENOEXEC,
				   "%s: map '%s' is in section '.maps' but the object has no .BTF to define it (compile with clang -g)",
				   path, syms[0].name);
	if (btf_len > UINT32_MAX)
		return hermes__err(NULL, -ENOEXEC, "%s: section '.BTF' is too large", path);
	old = libbpf_set_print(quiet); /* the library never prints */
	btf = btf__new(btf_bytes, (uint32_t)btf_len);
	libbpf_set_print(old);
	if (!btf || libbpf_get_error(btf))
		return hermes__err(NULL, -ENOEXEC, "%s: section '.BTF' is malformed (libbpf: %s); cannot read map '%s'",
				   path, strerror(btf ? (int)-libbpf_get_error(btf) : errno), syms[0].name);
	id = btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC);
	sec = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	for (unsigned i = 0; i < n && !err; i++) {
		uint32_t var;

		memset(&defs[i], 0, sizeof(defs[i]));
		if (strlen(syms[i].name) >= HERMES_MAP_NAME_LEN) {
			err = hermes__err(NULL, -ENAMETOOLONG, "%s: map name '%s' is longer than %u characters",
					  path, syms[i].name, HERMES_MAP_NAME_LEN - 1);
			break;
		}
		snprintf(defs[i].name, sizeof(defs[i].name), "%s", syms[i].name);
		var = sec ? find_var(btf, sec, syms[i].name, &vi) : 0;
		if (!var) {
			err = hermes__err(NULL, -ENOEXEC, "%s: map '%s' has no variable in the BTF of section '.maps'",
					  path, syms[i].name);
			break;
		}
		/* clang 14 leaves offsets 0 (sizes too, at times); what is filled in must agree */
		if ((vi->offset && vi->offset != syms[i].off) || (vi->size && vi->size != syms[i].size)) {
			err = hermes__err(NULL, -ENOEXEC,
					  "%s: map '%s': BTF places it at offset %u size %u of '.maps', the symbol table at %llu size %llu",
					  path, syms[i].name, vi->offset, vi->size, (unsigned long long)syms[i].off,
					  (unsigned long long)syms[i].size);
			break;
		}
		err = read_def(path, btf, var, &syms[i], &defs[i]);
		if (!err && (err = hermes__map_def_check(&defs[i]))) {
			char why[400];

			snprintf(why, sizeof(why), "%s", hermes_dev_errmsg(NULL));
			hermes__err(NULL, err, "%s: %s", path, why);
		}
	}
	btf__free(btf);
	return err;
}
