/* SPDX-License-Identifier: MIT */
/*
 * hermes/hermes.h - libhermes, the host runtime of the Hermes eBPF card.
 *
 * One API drives the Verilator model in-process ("sim"), a card (or an
 * xdma-fuse mount) through the Xilinx XDMA driver's nodes ("xdma:PREFIX"),
 * or the reference VM ("ref", program level only).
 *
 * Conventions: functions return 0 or a negative errno. When a call on a
 * device fails, hermes_dev_errmsg() returns a sentence saying what went
 * wrong; the library never prints. Options structs start with their size
 * (set .sz = sizeof(struct ...)) so that fields can be added later.
 */
#ifndef HERMES_HERMES_H
#define HERMES_HERMES_H

#include <stddef.h>
#include <stdint.h>

#include "hermes/isa.h"
#include "hermes/regs.h"

#ifdef __cplusplus
extern "C" {
#endif

struct hermes_dev;

/*
 * hermes_dev_open - open a device by URI.
 *   "sim"             in-process simulated card (default; "sim:opt=val,...")
 *   "xdma:/dev/xdma0" card behind the XDMA driver, or any node prefix
 *   "ref"             the reference VM (runs programs and loaded objects; no registers, no DMA)
 * uri == NULL means $HERMES_DEVICE, else "sim".
 * Returns 0 and sets *devp, or a negative errno; on failure
 * hermes_dev_errmsg(NULL) returns the reason (per thread).
 */
int hermes_dev_open(const char *uri, struct hermes_dev **devp);
void hermes_dev_close(struct hermes_dev *dev);

/*
 * The detail of the last failed call on dev. With dev NULL: the detail of
 * the last failed call in this thread that had no device (hermes_dev_open,
 * hermes_prog_load, ...).
 */
const char *hermes_dev_errmsg(const struct hermes_dev *dev);

/* Device kind names: "sim", "xdma", "ref". */
const char *hermes_dev_kind(const struct hermes_dev *dev);

struct hermes_info {
	uint32_t version;          /* EHVER */
	char build[HERMES_EHBLD_LEN + 1]; /* EHBLD, NUL terminated */
	uint8_t engines;           /* EHENG */
	uint8_t prog_slots;        /* EHPSLOT */
	uint8_t data_slots;        /* EHDSLOT */
	uint32_t prog_slot_off;    /* EHPSOFF */
	uint32_t prog_slot_size;   /* EHPSSZE */
	uint32_t data_slot_off;    /* EHDSOFF */
	uint32_t data_slot_size;   /* EHDSSZE */
	uint32_t caps;             /* EHCAP, HERMES_CAP_* bits */
	uint32_t max_insns;        /* EHMAXI */
	uint8_t h2c_channels;      /* DMA channels found by identifier (0 for ref) */
	uint8_t c2h_channels;
};

/* Read the identity and geometry registers (BAR0; BAR2 channel ids). */
int hermes_dev_info(struct hermes_dev *dev, struct hermes_info *info);

/*
 * hermes_dev_map_slots - the card memory maps live in (docs/MAPS.md):
 * *count map slots, one per program slot, of *size bytes each, the first
 * at BAR4 offset *off (the card's EHMSOFF/EHMSSZE, its MAP_SLOT_BYTES
 * parameter). A card without maps (EHCAP bit 7 clear) gives 0 for all
 * three; "ref" gives the map slot every loaded object gets there, with
 * *off 0 (it has no BAR4). Returns 0 or a negative errno.
 */
int hermes_dev_map_slots(struct hermes_dev *dev, uint32_t *count, uint32_t *size, uint32_t *off);

/* Raw BAR0 access, 4 bytes at a 4-aligned offset (not on "ref"). */
int hermes_dev_read32(struct hermes_dev *dev, uint32_t off, uint32_t *val);
int hermes_dev_write32(struct hermes_dev *dev, uint32_t off, uint32_t val);

/*
 * hermes_dev_reset - reset the whole card behind dev (EHRESET, docs/
 * REGISTERS.md): running commands and DMA end, every slot is freed and
 * zeroed, interrupts and DMA channel registers return to their power-on
 * values. Returns once the card reports the reset and its scrub done (or
 * -ETIMEDOUT). Commands other threads or processes were waiting for end
 * with -ECANCELED ("card was reset"); slots they held are not released
 * again by them. On "sim", a run in another thread sharing dev finishes
 * first (the model is single-threaded). "ref" has no card: -EOPNOTSUPP.
 */
int hermes_dev_reset(struct hermes_dev *dev);

/*
 * Programs. A program image is what goes into a program slot: the code
 * (code_len bytes, 8 per instruction slot) followed by its globals
 * (.rodata/.data/.bss for ELF objects).
 */
struct hermes_prog;

struct hermes_prog_opts {
	size_t sz;             /* sizeof(struct hermes_prog_opts) */
	const char *section;   /* ELF entry: section or function name, NULL: the only one */
};

/*
 * hermes_prog_load - load a program file: an ELF object (by its magic),
 * assembly (".s") or raw bytecode (anything else, e.g. ".bin").
 * opts may be NULL. On failure returns a negative errno and
 * hermes_dev_errmsg(NULL) names the file and what is wrong with it; a
 * file over 256 MiB (or one that never ends, as /dev/zero) is -EFBIG.
 */
int hermes_prog_load(const char *path, const struct hermes_prog_opts *opts,
		     struct hermes_prog **progp);

/* Wrap raw bytecode (len a non-zero multiple of 8) as a program, no globals. */
int hermes_prog_from_bytecode(const void *code, size_t len, struct hermes_prog **progp);

/*
 * Build a program from an image: code_len bytes of code followed by
 * image_len - code_len bytes of globals. The image is copied.
 */
int hermes_prog_from_image(const void *image, size_t image_len, size_t code_len,
			   struct hermes_prog **progp);

void hermes_prog_free(struct hermes_prog *prog);
const void *hermes_prog_image(const struct hermes_prog *prog);
size_t hermes_prog_image_len(const struct hermes_prog *prog);
size_t hermes_prog_code_len(const struct hermes_prog *prog);

/* Running a program. */
struct hermes_run_opts {
	size_t sz;             /* sizeof(struct hermes_run_opts) */
	int engine;            /* engine to use, -1: any idle one */
	uint64_t max_insns;    /* instruction budget, 0: the device default (EHMAXI) */
	unsigned timeout_ms;   /* limit of the run (then ABORT), 0: 10000; on "sim" card time
	                          (its clocks at 250 MHz), so host load never changes it */
	uint32_t data_len;     /* value of r2, 0: in_len (or the slot size if in_len is 0) */
};

struct hermes_run_result {
	unsigned status;       /* HERMES_ST_* */
	uint64_t r0;           /* valid with HERMES_ST_SUCCESS */
	uint64_t insns;        /* retired instructions */
	uint64_t cycles;       /* engine clocks (0 on "ref") */
	int engine;            /* engine that ran it (0 on "ref") */
	unsigned cause;        /* enum hermes_fault, with HERMES_ST_EBPF_ERROR */
	uint32_t pc;           /* fault pc (instruction index) */
	uint64_t addr;         /* fault address */
};

/*
 * hermes_run - run prog once on a data slot holding in (in_len bytes, the
 * rest of the slot zero), then copy the first out_len bytes of the data
 * slot to out (out may be NULL with out_len 0). opts may be NULL.
 * Returns 0 when the device completed the command (res->status says how it
 * went, a fault included), or a negative errno when the run could not be
 * done (bad arguments, I/O error, timeout) with the detail in
 * hermes_dev_errmsg(dev). A program with maps is loaded for this one run
 * (hermes_obj_load: its maps start zeroed and end with it); keep maps
 * across runs with hermes_obj_run. Queues refuse programs with maps.
 */
int hermes_run(struct hermes_dev *dev, const struct hermes_prog *prog,
	       const void *in, size_t in_len, void *out, size_t out_len,
	       const struct hermes_run_opts *opts, struct hermes_run_result *res);

/* Words for a status code ("success", "no free slot", ...). */
const char *hermes_status_str(unsigned status);


/* ======================================================================
 * Maps and loaded objects (docs/MAPS.md)
 *
 * A program may declare maps (BTF-defined, section ".maps", as
 * <bpf/bpf_helpers.h> declares them) and call the Linux helpers Hermes has
 * (1 map_lookup_elem, 2 map_update_elem, 3 map_delete_elem,
 * 5 ktime_get_ns, 6 trace_printk, 7 get_prandom_u32,
 * 8 get_smp_processor_id). Maps live as long as the program is loaded:
 * hermes_obj_load() puts a program into a program slot of the device with
 * its map slot (descriptors, trace buffers, the maps' storage, zeroed),
 * hermes_obj_run() runs it as often as wanted, and the hermes_map_*
 * calls read and change its maps between or during runs.
 * ====================================================================== */

/* Map types (Linux's BPF_MAP_TYPE_* numbers). */
#define HERMES_MAP_TYPE_HASH         1u
#define HERMES_MAP_TYPE_ARRAY        2u
#define HERMES_MAP_TYPE_PERCPU_ARRAY 6u

/* hermes_map_update() flags (Linux's BPF_ANY, BPF_NOEXIST, BPF_EXIST). */
#define HERMES_MAP_UPDATE_ANY     0u /* create or overwrite */
#define HERMES_MAP_UPDATE_NOEXIST 1u /* create only */
#define HERMES_MAP_UPDATE_EXIST   2u /* overwrite only */

/* Most maps of one program. */
#define HERMES_MAX_MAPS 64u

struct hermes_map_info {
	const char *name;      /* as declared; valid as long as the program */
	uint32_t type;         /* HERMES_MAP_TYPE_* */
	uint32_t key_size;     /* bytes (arrays: 4, a little-endian index) */
	uint32_t value_size;   /* bytes of one value (per engine for PERCPU_ARRAY) */
	uint32_t max_entries;
	uint32_t map_flags;    /* 0: Hermes supports no map flags */
};

/*
 * hermes_prog_map_count - how many maps prog declares (0 for programs
 * without maps). Map i of a program is descriptor i of its map slot: an
 * ELF object's maps in the order of their offsets in section .maps.
 */
unsigned hermes_prog_map_count(const struct hermes_prog *prog);

/* hermes_prog_map_info - map index of prog: 0, or -ENOENT when there is none. */
int hermes_prog_map_info(const struct hermes_prog *prog, unsigned index, struct hermes_map_info *info);

/* hermes_prog_map_index - the index of the map called name, or -ENOENT. */
int hermes_prog_map_index(const struct hermes_prog *prog, const char *name);

/*
 * hermes_prog_set_maps - give a program built from bytecode or an image
 * (or assembly) its n maps, in the order of their indexes, and resolve its
 * map loads as Linux's loaders do: lddw with src 1 (map fd) or 5 (map
 * index) and imm = the map's index becomes the map's address; src 2 or 6
 * (map value) with imm = the index of a BPF_MAP_TYPE_ARRAY map and the
 * second imm an offset becomes the address of that byte of its values.
 * The names must be distinct. Returns 0, -EBUSY when prog has maps
 * already, or -EINVAL/-E2BIG/-ENOTSUP naming the map or instruction at
 * fault (hermes_dev_errmsg(NULL)); prog is unchanged on failure.
 */
int hermes_prog_set_maps(struct hermes_prog *prog, const struct hermes_map_info *maps, unsigned n);

/* A program loaded on a device with its maps. */
struct hermes_obj;

struct hermes_obj_opts {
	size_t sz;             /* sizeof(struct hermes_obj_opts); no options yet */
};

/*
 * hermes_obj_load - load prog (copied; the caller may free it) into a
 * program slot of dev and lay its maps out in the slot's map slot, every
 * value zero. The slot stays taken until hermes_obj_unload(); the
 * program's globals (.bss, .data) live in it and keep what one run wrote
 * for the next, as the kernel's .bss/.data maps do. opts may be
 * NULL. On "ref" every object has slots of its own; on a card, the
 * map slot of its program slot (-ENOTSUP when the card has no maps,
 * EHCAP bit 7, and prog declares some; programs without maps load on any
 * card). Returns 0 with *objp, or a negative errno with the reason in
 * hermes_dev_errmsg(dev) (-E2BIG naming the map that does not fit,
 * -ENOSPC when no program slot is free).
 */
int hermes_obj_load(struct hermes_dev *dev, const struct hermes_prog *prog,
		    const struct hermes_obj_opts *opts, struct hermes_obj **objp);

/* hermes_obj_unload - give the slots back; the maps are gone. NULL is a no-op. */
void hermes_obj_unload(struct hermes_obj *obj);

/* The object's copy of the program (its maps: hermes_prog_map_*). */
const struct hermes_prog *hermes_obj_prog(const struct hermes_obj *obj);

/*
 * hermes_obj_run - hermes_run() of the loaded program: its maps keep
 * what earlier runs and the hermes_map_* calls left. in is uploaded to a
 * fresh data slot for every run. The trace_printk lines of the run are
 * kept until the next run (hermes_obj_trace_*). Returns as hermes_run().
 */
int hermes_obj_run(struct hermes_obj *obj, const void *in, size_t in_len, void *out, size_t out_len,
		   const struct hermes_run_opts *opts, struct hermes_run_result *res);

/*
 * trace_printk output of the last hermes_obj_run: hermes_obj_trace_count
 * lines, hermes_obj_trace_line(obj, i) each (NUL terminated, no newline,
 * valid until the next run or unload; NULL past the end), formatted on the
 * host from the records the engine stored (docs/MAPS.md "Trace buffer").
 * hermes_obj_trace_lost: calls past the 31 records an engine keeps per run.
 */
unsigned hermes_obj_trace_count(const struct hermes_obj *obj);
const char *hermes_obj_trace_line(const struct hermes_obj *obj, unsigned i);
unsigned hermes_obj_trace_lost(const struct hermes_obj *obj);

/*
 * Map operations on a loaded object, by map index (hermes_prog_map_index
 * of hermes_obj_prog(obj) finds one by name). Each is atomic with respect
 * to the helper calls of running programs (on a card: done under the map
 * lock EHMLOCK) and to the other map operations. Keys are key_size bytes;
 * values are hermes_map_value_size(obj, map) bytes: value_size, or for a
 * PERCPU_ARRAY value_size x the engines of the card, engine e's copy at
 * e x value_size (as Linux's per-CPU values are).
 *
 * hermes_map_lookup: 0 and the value, -ENOENT when absent.
 * hermes_map_update: 0, -EEXIST (NOEXIST and present), -ENOENT (EXIST and
 *   absent), -E2BIG (array index >= max_entries, or the hash is full),
 *   -EINVAL (flags).
 * hermes_map_delete: 0, -ENOENT; arrays: -EINVAL (their entries always exist).
 * hermes_map_next_key: the key after key in entry order (key NULL, or a
 *   key not in the map: the first); 0, -ENOENT after the last.
 * hermes_map_dump: up to max entries from the start, keys into keys
 *   (max x key_size bytes), values into values (max x value size bytes);
 *   the number of entries the map holds (more than max: only max copied),
 *   or a negative errno. Arrays list every index, hashes their entries in
 *   table order (compare with Linux as sets).
 * Other errors: -EINVAL (no such map, NULL pointers), -EIO, -EBADMSG
 * (the map's descriptor in card memory is corrupt), with the sentence in
 * hermes_dev_errmsg() of the object's device.
 */
size_t hermes_map_value_size(const struct hermes_obj *obj, unsigned map);
int hermes_map_lookup(struct hermes_obj *obj, unsigned map, const void *key, void *value);
int hermes_map_update(struct hermes_obj *obj, unsigned map, const void *key, const void *value,
		      uint64_t flags);
int hermes_map_delete(struct hermes_obj *obj, unsigned map, const void *key);
int hermes_map_next_key(struct hermes_obj *obj, unsigned map, const void *key, void *next_key);
int hermes_map_dump(struct hermes_obj *obj, unsigned map, void *keys, void *values, unsigned max);


/* ======================================================================
 * Queues: many jobs on all engines at once (docs/QUEUE.md)
 *
 * A queue owns a set of engines of a card and keeps them busy: jobs are
 * submitted (singly or in batches), dispatched to whichever engine is
 * idle, and their completions reaped without blocking or waited for, in
 * the manner of io_uring. While engines execute, the host uploads the
 * next jobs' programs and data (the DMA channel is shared, so transfers
 * are serialised among themselves but overlap engine execution).
 *
 * A queue is used by one thread at a time. Buffers and programs named by
 * a job stay owned by the caller and must stay valid until the job's
 * completion has been reaped.
 * ====================================================================== */
struct hermes_queue;

/* Most engines a queue can drive. */
#define HERMES_QUEUE_MAX_ENGINES 16

/* hermes_queue_opts.flags */
#define HERMES_QUEUE_ORDERED      (1u << 0) /* completions are reaped in submission order */
#define HERMES_QUEUE_NO_PROG_CACHE (1u << 1) /* a fresh program slot for every job */
#define HERMES_QUEUE_REGISTER_PATH (1u << 2) /* drive the engines through their command registers
					      * only, also on a card with hardware queues */

struct hermes_queue_opts {
	size_t sz;             /* sizeof(struct hermes_queue_opts) */
	unsigned depth;        /* jobs submitted and not yet reaped, at most; 0: 256 */
	unsigned flags;        /* HERMES_QUEUE_* */
	uint32_t engine_mask;  /* engines the queue may use, 0: all of the card's */
	unsigned timeout_ms;   /* limit of one job on an engine (then ABORT), 0: 10000; card time on "sim" */
	unsigned prog_cache;   /* program slots kept loaded for reuse, 0: 4 */
};

/*
 * hermes_queue_create - make a queue on a card device ("sim" or "xdma";
 * "ref" has no engines to share and answers -ENOTSUP). opts may be NULL.
 * On "xdma" the queue owns its engines (engine_lock.h) until it is
 * destroyed: creating it waits for their current owners to finish.
 *
 * On a card with hardware command queues (EHCAP bit 6) the queue also
 * claims a queue pair and sends every job one entry can carry through it
 * (no link, no queue slot, a program without globals and a program cache,
 * at most 4 KiB in and out): batches with one DMA and one doorbell, no
 * register read per job. The other jobs, and every job with
 * HERMES_QUEUE_REGISTER_PATH, with $HERMES_QUEUE_PATH=register, or when no
 * queue pair is free, go through the engines' command registers. Both
 * paths give the same completions (docs/QUEUE.md).
 */
int hermes_queue_create(struct hermes_dev *dev, const struct hermes_queue_opts *opts,
			struct hermes_queue **qp);

/*
 * hermes_queue_destroy - abort the jobs still running, drop the rest
 * without completions, give back every slot and engine. NULL is a no-op.
 */
void hermes_queue_destroy(struct hermes_queue *q);

/* hermes_job.flags */
#define HERMES_JOB_LINK  (1u << 0) /* the next job of the same submit call runs after this one
				    * succeeded, on this job's data slot */
#define HERMES_JOB_SLOT  (1u << 1) /* run on the queue data slot job.slot (hermes_queue_slot_create):
				    * nothing is uploaded unless in is given, nothing released */

struct hermes_job {
	const struct hermes_prog *prog;
	const void *in;        /* uploaded at offset 0 of the data slot before the run (may be NULL) */
	size_t in_len;
	void *out;             /* the first out_len bytes of the data slot after the run (may be NULL) */
	size_t out_len;
	uint32_t data_len;     /* r2; 0: in_len, or for a linked job without input its predecessor's */
	uint32_t slot;         /* with HERMES_JOB_SLOT: the queue data slot */
	uint64_t max_insns;    /* instruction budget, 0: the device default (EHMAXI) */
	uint64_t user_data;    /* returned in the completion */
	unsigned flags;        /* HERMES_JOB_* */
	unsigned reserved[3];  /* zero */
};

struct hermes_completion {
	uint64_t user_data;    /* of the job */
	int res;               /* 0: the card ran the job (status says how it went);
				* -ECANCELED: not run, a linked predecessor did not succeed;
				* -ETIMEDOUT: aborted after opts.timeout_ms (status/cause as the card left them);
				* other negative errno: the job could not be run (detail: hermes_queue_errmsg) */
	unsigned status;       /* HERMES_ST_* when res is 0 or -ETIMEDOUT */
	uint64_t r0;           /* with HERMES_ST_SUCCESS */
	unsigned cause;        /* enum hermes_fault, with HERMES_ST_EBPF_ERROR */
	uint32_t pc;           /* fault pc (instruction index) */
	uint64_t addr;         /* fault address */
	uint64_t insns;        /* retired instructions */
	uint64_t cycles;       /* engine clocks of the run */
	int engine;            /* engine that ran it, -1: none */
};

/*
 * hermes_queue_submit - queue n jobs; they start on idle engines at once.
 * Jobs linked by HERMES_JOB_LINK form a chain that ends at the first job
 * without the flag; chains are accepted whole or not at all. Returns the
 * number of jobs accepted (whole chains from the front of jobs[]; fewer
 * than n when the queue filled up), -EAGAIN when the queue is full, or
 * another negative errno (-EINVAL for a bad job, a chain longer than the
 * depth or a link out of the batch; nothing is accepted then).
 */
int hermes_queue_submit(struct hermes_queue *q, const struct hermes_job *jobs, unsigned n);

/*
 * hermes_queue_reap - make progress without blocking (collect finished
 * runs, start queued jobs), then move up to max completions into
 * completions[]. Returns how many, or a negative errno when the device
 * failed (the detail in hermes_queue_errmsg).
 */
int hermes_queue_reap(struct hermes_queue *q, struct hermes_completion *completions, unsigned max);

/*
 * hermes_queue_wait - make progress until at least min completions are
 * ready to reap (or every submitted job has completed), sleeping on the
 * engines' completion interrupts; timeout_ms < 0 waits for ever. Returns
 * the number of completions ready, -ETIMEDOUT when fewer than min were
 * ready in time, or another negative errno.
 */
int hermes_queue_wait(struct hermes_queue *q, unsigned min, int timeout_ms);

/* Jobs submitted and not yet reaped. */
unsigned hermes_queue_pending(const struct hermes_queue *q);

/* The detail of the queue's last failure (a job's negative res included). */
const char *hermes_queue_errmsg(const struct hermes_queue *q);

/*
 * Queue data slots: a card data slot the caller keeps across jobs (several
 * jobs may run on it at once, e.g. with atomics). create allocates one,
 * uploads init (len bytes, the rest zero; init may be NULL) and returns its
 * id; read copies len bytes at off out of it (after the jobs on it have
 * completed); destroy gives it back (-EBUSY while a queued job names it).
 */
int hermes_queue_slot_create(struct hermes_queue *q, const void *init, size_t len, uint32_t *slot);
int hermes_queue_slot_read(struct hermes_queue *q, uint32_t slot, size_t off, void *buf, size_t len);
int hermes_queue_slot_destroy(struct hermes_queue *q, uint32_t slot);

struct hermes_queue_stats {
	size_t sz;                  /* sizeof(struct hermes_queue_stats) */
	unsigned engines;           /* engines the queue drives */
	uint32_t engine_mask;
	uint64_t submitted, completed, failed; /* failed: res != 0 or status != success */
	uint64_t clocks;            /* "sim": card clocks since the queue was created, else 0 */
	uint64_t wall_ns;           /* wall-clock time since the queue was created */
	uint64_t prog_uploads;      /* program images written to the card */
	uint64_t prog_cache_hits;   /* jobs that found their program loaded */
	uint64_t bytes_to_card, bytes_from_card;
	uint64_t eng_jobs[HERMES_QUEUE_MAX_ENGINES];   /* runs per engine */
	uint64_t eng_cycles[HERMES_QUEUE_MAX_ENGINES]; /* engine clocks spent running (EHENGSTAT) */
	uint64_t eng_busy_ns[HERMES_QUEUE_MAX_ENGINES]; /* wall time from start to completion seen */
	uint64_t eng_busy_clocks[HERMES_QUEUE_MAX_ENGINES]; /* "sim": card clocks from start to completion seen
							     * (hardware queue: the run's engine clocks) */
	uint64_t hw_jobs;           /* jobs run through the card's hardware queue (the rest: command registers) */
};

/* Counters since the queue was created. */
int hermes_queue_get_stats(struct hermes_queue *q, struct hermes_queue_stats *stats);

/* ---- Hardware command queues (docs/HWQUEUE.md) ----------------------------
 *
 * A queue pair of the card itself: jobs are written into card memory with
 * one DMA per batch, started with one BAR0 doorbell write, and their
 * completions and outputs come back with one DMA after the queue's
 * interrupt; no BAR0 read per job. Shaped like liburing: get a job, fill
 * it, get more, submit them together; wait for or peek at a completion,
 * mark it seen. One queue pair per hermes_hwq, owned by one thread; each
 * process gets queue pairs of its own (on "xdma:" through flock on the
 * queue's events node: a process that dies loses its pair, never another's).
 * Cards without queues (EHCAP bit 6 clear) give -EOPNOTSUPP.
 */
struct hermes_hwq;

struct hermes_hwq_opts {
	size_t sz;           /* sizeof(struct hermes_hwq_opts) */
	unsigned entries;    /* ring entries, power of two 2..1024 (0: 32); entries - 1 jobs in flight */
	uint32_t max_in;     /* largest input of a job in bytes (0: 4096; rounded up to 64) */
	uint32_t max_out;    /* largest output (0: 4096; rounded up to 64) */
	int queue;           /* 0: the first free queue; q + 1: queue q only (-EBUSY if taken) */
	unsigned irq_batch;  /* completions per interrupt (0: 1) */
	unsigned irq_clocks; /* card clocks after a completion the interrupt comes at the latest (0: 2000) */
	uint32_t engine_mask; /* engines this queue's jobs may run on (within EHQENG), 0: all */
};

/* A job as hermes_hwq_get_job() hands it out: zeroed, to be filled in. */
struct hermes_hwq_job {
	const struct hermes_prog *prog; /* loaded into a program slot on first use, kept until exit */
	const void *in;                 /* in_len bytes, copied at submit (may be freed after it) */
	uint32_t in_len;                /* <= max_in; also r2 */
	void *out;                      /* out_len bytes written at completion; must stay valid until then */
	uint32_t out_len;               /* <= max_out */
	uint32_t budget;                /* instruction budget, 0: the card's default (EHMAXI) */
	uint32_t flags;                 /* HERMES_QF_LINK, HERMES_QF_DRAIN (hermes/regs.h) */
	uint64_t user_tag;              /* returned in the completion */
};

struct hermes_hwq_cpl {
	uint64_t user_tag;
	uint64_t r0;        /* status HERMES_ST_SUCCESS */
	uint32_t retired;   /* instructions retired */
	uint32_t fault_pc;  /* status HERMES_ST_EBPF_ERROR */
	uint8_t status;     /* HERMES_ST_*: 0 success, 5 fault, 7 cancelled by a failed link, ... */
	uint8_t cause;      /* fault cause (docs/ISA.md) */
	int engine;         /* the engine that ran it, -1: none (the entry failed its checks) */
	uint64_t cycles;    /* engine clocks of the run */
	uint64_t fault_addr; /* status HERMES_ST_EBPF_ERROR */
};

/*
 * hermes_hwq_init - claim a queue pair of dev, lay its rings and buffers
 * out in its share of the card's queue region, enable it. Returns 0 with
 * *qp, -EOPNOTSUPP (no hardware queues), -EBUSY (none free), -ENOSPC
 * (entries x (max_in + max_out + 128) larger than a queue's share), or
 * another negative errno; the detail in hermes_dev_errmsg(dev).
 */
int hermes_hwq_init(struct hermes_dev *dev, const struct hermes_hwq_opts *opts, struct hermes_hwq **qp);

/* Disable the queue and give it back; completions not yet seen are dropped. */
void hermes_hwq_exit(struct hermes_hwq *q);

/* A zeroed job to fill, or NULL when entries - 1 jobs are staged or in flight. */
struct hermes_hwq_job *hermes_hwq_get_job(struct hermes_hwq *q);

/*
 * hermes_hwq_submit - send every job got since the last submit: one DMA
 * of their entries and inputs, one doorbell write. Returns how many
 * (0: none staged) or a negative errno (an invalid job: -EINVAL, and
 * nothing is sent).
 */
int hermes_hwq_submit(struct hermes_hwq *q);

/*
 * hermes_hwq_wait - the oldest completion not yet seen, waiting up to
 * timeout_ms (bus time: card time on "sim") for the queue's interrupt.
 * hermes_hwq_peek - the same without waiting (-EAGAIN when none).
 * Both return 0 with *cpl (valid until hermes_hwq_seen), -ETIMEDOUT,
 * -ENODATA when no job is in flight, or a negative errno.
 */
int hermes_hwq_wait(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl, unsigned timeout_ms);
int hermes_hwq_peek(struct hermes_hwq *q, struct hermes_hwq_cpl **cpl);

/*
 * Completions already read from the card and not yet handed out: wait and
 * peek return these without touching the card (peek on none reads the
 * ring, one DMA).
 */
unsigned hermes_hwq_ready(const struct hermes_hwq *q);

/* Done with a completion from wait/peek: its ring entry can be reused. */
void hermes_hwq_seen(struct hermes_hwq *q, struct hermes_hwq_cpl *cpl);

struct hermes_hwq_stats {
	size_t sz;                    /* sizeof(struct hermes_hwq_stats) */
	unsigned queue;               /* the card's queue index */
	uint64_t submitted, completed;
	uint64_t doorbells;           /* BAR0 writes on submit and wait */
	uint64_t dma_to_card, dma_from_card; /* transfers */
	uint64_t bytes_to_card, bytes_from_card;
};

/* Counters since hermes_hwq_init. */
int hermes_hwq_get_stats(const struct hermes_hwq *q, struct hermes_hwq_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
