/* SPDX-License-Identifier: MIT */
/*
 * obj.c - loaded objects and host map operations (hermes_obj_*,
 * hermes_map_*): what every device kind shares. The device places the
 * object (dev_ref.c: a map slot in memory; card_obj.c: a program slot and
 * its map slot on the card) and gives a map accessor under its map lock;
 * the operations themselves are the maps layer's, the code the reference
 * VM's helpers run too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "opts.h"

/* A sentence the maps layer left in the thread's buffer, moved to dev. */
static int err_to_dev(struct hermes_dev *dev, int err)
{
	char why[512];

	snprintf(why, sizeof(why), "%s", hermes_dev_errmsg(NULL));
	return hermes__err(dev, err, "%s", why);
}

static int prog_copy(const struct hermes_prog *prog, struct hermes_prog **copyp)
{
	struct hermes_prog *c;
	int err = hermes__prog_new(prog->image, prog->image_len, prog->code_len, &c);

	if (err)
		return err;
	if (prog->nmaps) {
		c->maps = malloc(prog->nmaps * sizeof(*c->maps));
		if (!c->maps) {
			hermes_prog_free(c);
			return hermes__err(NULL, -ENOMEM, "out of memory for %u maps", prog->nmaps);
		}
		memcpy(c->maps, prog->maps, prog->nmaps * sizeof(*c->maps));
		c->nmaps = prog->nmaps;
		c->map_value_refs = prog->map_value_refs;
	}
	*copyp = c;
	return 0;
}

/* Lay the maps out for this device; map value loads were resolved for the default card. */
static int layout(struct hermes_obj *obj)
{
	struct hermes_map_desc dflt[HERMES_MAP_MAX];
	const struct hermes_prog *p = obj->prog;
	int err;

	if (!p->nmaps)
		return 0;
	err = hermes__map_layout(p->maps, p->nmaps, obj->copies, obj->map_slot_size, obj->descs);

	if (err)
		return err_to_dev(obj->dev, err);
	obj->nmaps = p->nmaps;
	if (!p->map_value_refs)
		return 0;
	if (hermes__map_layout(p->maps, p->nmaps, HERMES_DEFAULT_ENGINES, HERMES_DEFAULT_MAP_SLOT_SIZE, dflt))
		return err_to_dev(obj->dev, -EINVAL);
	for (unsigned i = 0; i < p->nmaps; i++)
		if (dflt[i].storage != obj->descs[i].storage)
			return hermes__err(obj->dev, -ENOTSUP,
					   "the program's map value addresses (lddw src 2/6) were resolved for a %u-engine card; on this %u-engine card map '%s' lies elsewhere",
					   HERMES_DEFAULT_ENGINES, obj->copies, p->maps[i].name);
	return 0;
}

int hermes_obj_load(struct hermes_dev *dev, const struct hermes_prog *prog,
		    const struct hermes_obj_opts *opts, struct hermes_obj **objp)
{
	struct hermes_obj_opts o = { .sz = sizeof(o) };
	struct hermes_info info;
	struct hermes_obj *obj;
	int err;

	if (!dev)
		return hermes__err(NULL, -EINVAL, "hermes_obj_load: dev is NULL");
	if (!prog || !objp)
		return hermes__err(dev, -EINVAL, "hermes_obj_load: prog and objp are required");
	if ((err = hermes__opts_read(dev, "hermes_obj_load", opts, &o, sizeof(o))))
		return err;
	if (!dev->ops->obj_load)
		return hermes__err(dev, -ENOTSUP, "the '%s' device cannot load objects", dev->kind);
	if ((err = hermes_dev_info(dev, &info)))
		return err;
	obj = calloc(1, sizeof(*obj));
	if (!obj)
		return hermes__err(dev, -ENOMEM, "out of memory for a loaded object");
	obj->dev = dev;
	obj->copies = info.engines;
	obj->map_slot_size = dev->map_slot_size ? dev->map_slot_size : HERMES_DEFAULT_MAP_SLOT_SIZE;
	pthread_mutex_init(&obj->lock, NULL);
	if ((err = prog_copy(prog, &obj->prog))) {
		err = err_to_dev(dev, err);
		goto fail;
	}
	if (obj->prog->image_len > info.prog_slot_size) {
		err = hermes__err(dev, -E2BIG, "program image of %zu bytes does not fit the %u-byte program slot",
				  obj->prog->image_len, info.prog_slot_size);
		goto fail;
	}
	if ((err = layout(obj)) || (err = dev->ops->obj_load(obj)))
		goto fail;
	*objp = obj;
	return 0;
fail:
	hermes_prog_free(obj->prog);
	pthread_mutex_destroy(&obj->lock);
	free(obj);
	return err;
}

void hermes_obj_unload(struct hermes_obj *obj)
{
	if (!obj)
		return;
	obj->dev->ops->obj_unload(obj);
	hermes__obj_trace_clear(obj);
	hermes_prog_free(obj->prog);
	free(obj->shadow);
	pthread_mutex_destroy(&obj->lock);
	free(obj);
}

const struct hermes_prog *hermes_obj_prog(const struct hermes_obj *obj)
{
	return obj ? obj->prog : NULL;
}

int hermes_obj_run(struct hermes_obj *obj, const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res)
{
	struct hermes_run_opts o = { .sz = sizeof(o), .engine = -1 };
	struct hermes_dev *dev;
	int err;

	if (!obj)
		return hermes__err(NULL, -EINVAL, "hermes_obj_run: obj is NULL");
	dev = obj->dev;
	if (!res || (in_len && !in) || (out_len && !out))
		return hermes__err(dev, -EINVAL, "hermes_obj_run: res is required, and buffers for non-zero lengths");
	if ((err = hermes__opts_read(dev, "hermes_obj_run", opts, &o, sizeof(o))))
		return err;
	memset(res, 0, sizeof(*res));
	hermes__obj_trace_clear(obj);
	obj->trace_valid = 0;
	if ((err = dev->ops->obj_run(obj, in, in_len, out, out_len, &o, res)))
		return err;
	return obj->trace_valid ? hermes__obj_trace_format(obj) : 0;
}

unsigned hermes_obj_trace_count(const struct hermes_obj *obj) { return obj ? obj->ntrace : 0; }
unsigned hermes_obj_trace_lost(const struct hermes_obj *obj) { return obj ? obj->trace_lost : 0; }

const char *hermes_obj_trace_line(const struct hermes_obj *obj, unsigned i)
{
	return obj && i < obj->ntrace ? obj->trace_lines[i] : NULL;
}

/* ---- map operations ---- */

struct map_session {
	struct hermes_obj *obj;
	struct hermes_map_mem m;
	struct hermes_map_desc d;
	unsigned map;
};

static int begin(struct hermes_obj *obj, unsigned map, const char *fn, struct map_session *s)
{
	int err;

	if (!obj)
		return hermes__err(NULL, -EINVAL, "%s: obj is NULL", fn);
	if (map >= obj->nmaps)
		return hermes__err(obj->dev, -EINVAL, "%s: the object has %u maps, there is no map %u", fn,
				   obj->nmaps, map);
	s->obj = obj;
	s->map = map;
	pthread_mutex_lock(&obj->lock);
	if ((err = obj->dev->ops->map_begin(obj, map, &s->m))) {
		pthread_mutex_unlock(&obj->lock);
		return err;
	}
	err = hermes__map_desc_read(&s->m, map, &s->d);
	if (err) {
		obj->dev->ops->map_end(obj, 0);
		pthread_mutex_unlock(&obj->lock);
		return hermes__err(obj->dev, err == -EIO ? -EIO : -EBADMSG,
				   "%s: the descriptor of map '%s' in card memory is not the one loaded (corrupt)", fn,
				   obj->prog->maps[map].name);
	}
	return 0;
}

static int end(struct map_session *s, int commit, int err)
{
	int err2 = s->obj->dev->ops->map_end(s->obj, commit);

	pthread_mutex_unlock(&s->obj->lock);
	return err ? err : err2;
}

static int is_percpu(const struct hermes_map_desc *d) { return d->type == HERMES_MAP_PERCPU_ARRAY; }

size_t hermes_map_value_size(const struct hermes_obj *obj, unsigned map)
{
	if (!obj || map >= obj->nmaps)
		return 0;
	return (size_t)obj->descs[map].value_size * (is_percpu(&obj->descs[map]) ? obj->descs[map].copies : 1);
}

/* The value(s) at key into value: every copy of a per-engine array. */
static int read_value(struct map_session *s, const void *key, uint8_t *value)
{
	unsigned copies = is_percpu(&s->d) ? s->d.copies : 1;
	uint32_t off;
	int err;

	for (unsigned e = 0; e < copies; e++) {
		if ((err = hermes__map_lookup(&s->m, &s->d, key, e, &off)) ||
		    (err = s->m.read(s->m.ctx, off, value + (size_t)e * s->d.value_size, s->d.value_size)))
			return err;
	}
	return 0;
}

int hermes_map_lookup(struct hermes_obj *obj, unsigned map, const void *key, void *value)
{
	struct map_session s;
	int err;

	if (!key || !value)
		return hermes__err(obj ? obj->dev : NULL, -EINVAL, "hermes_map_lookup: key and value are required");
	if ((err = begin(obj, map, "hermes_map_lookup", &s)))
		return err;
	err = read_value(&s, key, value);
	return end(&s, 0, err);
}

int hermes_map_update(struct hermes_obj *obj, unsigned map, const void *key, const void *value, uint64_t flags)
{
	struct map_session s;
	unsigned copies;
	int err = 0;

	if (!key || !value)
		return hermes__err(obj ? obj->dev : NULL, -EINVAL, "hermes_map_update: key and value are required");
	/* bpf(2) refuses unknown flags before anything else, where the helper
	 * (hermes__map_update) would look at an ARRAY's index first. */
	if (flags > HERMES_MAP_EXIST)
		return hermes__err(obj ? obj->dev : NULL, -EINVAL,
				   "hermes_map_update: flags 0x%llx; give 0 (ANY), 1 (NOEXIST) or 2 (EXIST)",
				   (unsigned long long)flags);
	if ((err = begin(obj, map, "hermes_map_update", &s)))
		return err;
	copies = is_percpu(&s.d) ? s.d.copies : 1;
	for (unsigned e = 0; e < copies && !err; e++)
		err = hermes__map_update(&s.m, &s.d, key, (const uint8_t *)value + (size_t)e * s.d.value_size, flags, e);
	return end(&s, !err, err);
}

int hermes_map_delete(struct hermes_obj *obj, unsigned map, const void *key)
{
	struct map_session s;
	int err;

	if (!key)
		return hermes__err(obj ? obj->dev : NULL, -EINVAL, "hermes_map_delete: key is required");
	if ((err = begin(obj, map, "hermes_map_delete", &s)))
		return err;
	err = hermes__map_delete(&s.m, &s.d, key);
	return end(&s, !err, err);
}

int hermes_map_next_key(struct hermes_obj *obj, unsigned map, const void *key, void *next_key)
{
	struct map_session s;
	int err;

	if (!next_key)
		return hermes__err(obj ? obj->dev : NULL, -EINVAL, "hermes_map_next_key: next_key is required");
	if ((err = begin(obj, map, "hermes_map_next_key", &s)))
		return err;
	err = hermes__map_next_key(&s.m, &s.d, key, next_key);
	return end(&s, 0, err);
}

int hermes_map_dump(struct hermes_obj *obj, unsigned map, void *keys, void *values, unsigned max)
{
	uint8_t key[HERMES_MAP_KEY_MAX];
	struct map_session s;
	uint32_t pos = 0, off;
	size_t vsize;
	int err, n = 0;

	if (max && (!keys || !values))
		return hermes__err(obj ? obj->dev : NULL, -EINVAL, "hermes_map_dump: keys and values are required");
	if ((err = begin(obj, map, "hermes_map_dump", &s)))
		return err;
	vsize = hermes_map_value_size(obj, map);
	while (!(err = hermes__map_iterate(&s.m, &s.d, &pos, key, &off))) {
		if ((unsigned)n < max) {
			memcpy((uint8_t *)keys + (size_t)n * s.d.key_size, key, s.d.key_size);
			if ((err = read_value(&s, key, (uint8_t *)values + (size_t)n * vsize)))
				break;
		}
		n++;
	}
	err = end(&s, 0, err == -ENOENT ? 0 : err);
	return err ? err : n;
}
