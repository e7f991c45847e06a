/* SPDX-License-Identifier: MIT */
/*
 * xdma_fuse.c - xdma-fuse: a simulated Hermes card served as the Xilinx
 * XDMA driver's device nodes over FUSE (docs/XDMA.md).
 *
 *   xdma-fuse MOUNTPOINT [-f] [-d] [-s] [-o OPT,...] [--name xdma0]
 *             [--pid-file FILE] [--sim OPTS] [--chunk CLOCKS] [-v]
 *
 * MOUNTPOINT/NAME_user         BAR0: 4-byte pread/pwrite at 4-aligned offsets
 * MOUNTPOINT/NAME_control      BAR2: the same
 * MOUNTPOINT/NAME_h2c_N        DMA to the card: pwrite at offset = card address
 * MOUNTPOINT/NAME_c2h_N        DMA from the card: pread at offset = card address
 * MOUNTPOINT/NAME_events_N     user interrupt N: read(4) waits, poll() works
 *
 * Every node is opened in direct_io mode so offsets and sizes reach the
 * server as the client issued them (large transfers arrive in chunks of
 * the connection's max_write / max_read). SIGINT, SIGTERM and SIGHUP
 * unmount and exit.
 */
#define FUSE_USE_VERSION 35

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <fuse_lowlevel.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "card.h"
#include "events.h"
#include "session_end.h"

#define BAR_SIZE   0x10000u   /* BAR0 and BAR2 windows */
#define MAX_IO     (1u << 20) /* largest read/write per FUSE request */
#define ATTR_TTL   3600.0
#define EXIT_MOUNT 3          /* mounting failed (tests skip on this) */

enum node_kind { N_ROOT, N_USER, N_CONTROL, N_H2C, N_C2H, N_EVENTS, N_NONE };

struct options {
	char *name;
	char *pid_file;
	char *sim;
	char *log;
	unsigned chunk;
	int verbose;
	int help;
};

struct shim {
	struct shim_card *card;
	struct shim_events *ev;
	const char *name;
	unsigned h2c, c2h;
	uint64_t bar4;
	time_t started;
	int verbose;
};

/* Inodes: 1 root, 2 user, 3 control, then h2c_*, c2h_*, events_*. */
static enum node_kind node_of(const struct shim *s, fuse_ino_t ino, unsigned *idx)
{
	fuse_ino_t i;

	*idx = 0;
	if (ino == FUSE_ROOT_ID)
		return N_ROOT;
	if (ino == 2)
		return N_USER;
	if (ino == 3)
		return N_CONTROL;
	i = ino - 4;
	if (ino < 4)
		return N_NONE;
	if (i < s->h2c) {
		*idx = (unsigned)i;
		return N_H2C;
	}
	i -= s->h2c;
	if (i < s->c2h) {
		*idx = (unsigned)i;
		return N_C2H;
	}
	i -= s->c2h;
	if (i < SHIM_EVENTS) {
		*idx = (unsigned)i;
		return N_EVENTS;
	}
	return N_NONE;
}

static fuse_ino_t last_ino(const struct shim *s)
{
	return 3 + s->h2c + s->c2h + SHIM_EVENTS;
}

static void node_name(const struct shim *s, fuse_ino_t ino, char *buf, size_t len)
{
	unsigned idx;

	switch (node_of(s, ino, &idx)) {
	case N_USER: snprintf(buf, len, "%s_user", s->name); break;
	case N_CONTROL: snprintf(buf, len, "%s_control", s->name); break;
	case N_H2C: snprintf(buf, len, "%s_h2c_%u", s->name, idx); break;
	case N_C2H: snprintf(buf, len, "%s_c2h_%u", s->name, idx); break;
	case N_EVENTS: snprintf(buf, len, "%s_events_%u", s->name, idx); break;
	default: snprintf(buf, len, "."); break;
	}
}

static void fill_attr(const struct shim *s, fuse_ino_t ino, struct stat *st)
{
	unsigned idx;

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_atime = st->st_mtime = st->st_ctime = s->started;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_nlink = 1;
	switch (node_of(s, ino, &idx)) {
	case N_ROOT:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case N_USER:
	case N_CONTROL:
		st->st_mode = S_IFREG | 0666;
		st->st_size = BAR_SIZE;
		break;
	case N_H2C:
		st->st_mode = S_IFREG | 0222;
		st->st_size = (off_t)s->bar4;
		break;
	case N_C2H:
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)s->bar4;
		break;
	case N_EVENTS:
		st->st_mode = S_IFREG | 0444;
		break;
	default:
		break;
	}
}

/* ---- FUSE operations ---------------------------------------------------------- */

static void op_init(void *userdata, struct fuse_conn_info *conn)
{
	(void)userdata;
	/* DMA writes arrive in requests of up to 1 MiB (libfuse sizes max_pages from this). */
	if (conn->max_write < MAX_IO)
		conn->max_write = MAX_IO;
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct shim *s = fuse_req_userdata(req);
	struct fuse_entry_param e;
	char buf[256];

	if (parent != FUSE_ROOT_ID) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	for (fuse_ino_t ino = 2; ino <= last_ino(s); ino++) {
		node_name(s, ino, buf, sizeof(buf));
		if (strcmp(buf, name))
			continue;
		memset(&e, 0, sizeof(e));
		e.ino = ino;
		e.attr_timeout = ATTR_TTL;
		e.entry_timeout = ATTR_TTL;
		fill_attr(s, ino, &e.attr);
		fuse_reply_entry(req, &e);
		return;
	}
	fuse_reply_err(req, ENOENT);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct shim *s = fuse_req_userdata(req);
	struct stat st;
	unsigned idx;

	(void)fi;
	if (node_of(s, ino, &idx) == N_NONE) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fill_attr(s, ino, &st);
	fuse_reply_attr(req, &st, ATTR_TTL);
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct shim *s = fuse_req_userdata(req);
	char *buf, name[256];
	size_t used = 0;
	struct stat st;
	fuse_ino_t n;

	(void)fi;
	if (ino != FUSE_ROOT_ID) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	buf = malloc(size);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	/* Entry k: 0 ".", 1 "..", then inode k; off is the index of the next entry. */
	for (n = (fuse_ino_t)off; n <= last_ino(s); n++) {
		fuse_ino_t e_ino = n < 2 ? FUSE_ROOT_ID : n;
		size_t need;

		if (n == 0)
			snprintf(name, sizeof(name), ".");
		else if (n == 1)
			snprintf(name, sizeof(name), "..");
		else
			node_name(s, n, name, sizeof(name));
		fill_attr(s, e_ino, &st);
		need = fuse_add_direntry(req, buf + used, size - used, name, &st, (off_t)(n + 1));
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf, used);
	free(buf);
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct shim *s = fuse_req_userdata(req);
	unsigned idx;

	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->fh = 0;
	switch (node_of(s, ino, &idx)) {
	case N_USER: {
		struct shim_client *cl = shim_card_client_new(s->card);

		if (!cl) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		fi->fh = (uint64_t)(uintptr_t)cl;
		break;
	}
	case N_EVENTS: {
		struct shim_evfh *h = shim_events_open(s->ev, idx);

		if (!h) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		fi->fh = (uint64_t)(uintptr_t)h;
		break;
	}
	case N_CONTROL:
	case N_H2C:
	case N_C2H:
		break;
	case N_ROOT:
		fuse_reply_err(req, EISDIR);
		return;
	default:
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (fuse_reply_open(req, fi) == -ENOENT) {
		/* The opener was interrupted: nobody will release this handle. */
		if (node_of(s, ino, &idx) == N_USER)
			shim_card_client_release(s->card, (struct shim_client *)(uintptr_t)fi->fh);
		else if (node_of(s, ino, &idx) == N_EVENTS)
			shim_events_release(s->ev, (struct shim_evfh *)(uintptr_t)fi->fh);
	}
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct shim *s = fuse_req_userdata(req);
	unsigned idx;

	switch (node_of(s, ino, &idx)) {
	case N_USER:
		shim_card_client_release(s->card, (struct shim_client *)(uintptr_t)fi->fh);
		break;
	case N_EVENTS:
		shim_events_release(s->ev, (struct shim_evfh *)(uintptr_t)fi->fh);
		break;
	default:
		break;
	}
	fuse_reply_err(req, 0);
}

/* BAR windows: exactly 4 bytes at a 4-aligned offset moved per call. */
static int bar_check(size_t size, off_t off)
{
	if (off < 0 || (off & 3) || size < 4)
		return EPROTO;
	if ((uint64_t)off >= BAR_SIZE)
		return EINVAL;
	return 0;
}

/* One 4-byte access to BAR0 (the _user node, whose writes carry the
 * client's engine ownership) or BAR2 (_control). Returns 0 or a positive
 * errno for FUSE. */
static int bar_access(struct shim *s, enum node_kind node, struct fuse_file_info *fi, size_t size, off_t off,
		      int write, uint32_t *v)
{
	int err = bar_check(size, off);

	if (err)
		return err;
	if (node == N_USER)
		err = write ? shim_card_bar0_write(s->card, (struct shim_client *)(uintptr_t)fi->fh,
						   (uint32_t)off, *v)
			    : shim_card_bar0_read(s->card, (uint32_t)off, v);
	else
		err = write ? shim_card_bar2_write(s->card, (uint32_t)off, *v)
			    : shim_card_bar2_read(s->card, (uint32_t)off, v);
	return -err;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct shim *s = fuse_req_userdata(req);
	unsigned idx;
	enum node_kind node;
	uint32_t v;
	int err;

	switch ((node = node_of(s, ino, &idx))) {
	case N_USER:
	case N_CONTROL:
		if ((err = bar_access(s, node, fi, size, off, 0, &v)))
			fuse_reply_err(req, err);
		else
			fuse_reply_buf(req, (const char *)&v, 4);
		return;
	case N_C2H: {
		void *buf;

		if (off < 0) {
			fuse_reply_err(req, EINVAL);
			return;
		}
		buf = aligned_alloc(64, (size + 63) & ~(size_t)63);
		if (!buf) {
			fuse_reply_err(req, ENOMEM);
			return;
		}
		err = shim_card_dma(s->card, 1, idx, (uint64_t)off, buf, size);
		if (err)
			fuse_reply_err(req, -err);
		else
			fuse_reply_buf(req, buf, size);
		free(buf);
		return;
	}
	case N_EVENTS:
		shim_events_read(s->ev, (struct shim_evfh *)(uintptr_t)fi->fh, req, size, off);
		return;
	case N_H2C:
		fuse_reply_err(req, EINVAL); /* the driver: read/write direction mismatch */
		return;
	default:
		fuse_reply_err(req, EISDIR);
		return;
	}
}

static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct shim *s = fuse_req_userdata(req);
	unsigned idx;
	enum node_kind node;
	uint32_t v;
	int err;

	switch ((node = node_of(s, ino, &idx))) {
	case N_USER:
	case N_CONTROL:
		if (size >= 4)
			memcpy(&v, buf, 4);
		if ((err = bar_access(s, node, fi, size, off, 1, &v)))
			fuse_reply_err(req, err);
		else
			fuse_reply_write(req, 4);
		return;
	case N_H2C:
		if (off < 0) {
			fuse_reply_err(req, EINVAL);
			return;
		}
		err = shim_card_dma(s->card, 0, idx, (uint64_t)off, (void *)buf, size);
		if (err)
			fuse_reply_err(req, -err);
		else
			fuse_reply_write(req, size);
		return;
	case N_C2H:
	case N_EVENTS:
		fuse_reply_err(req, EINVAL);
		return;
	default:
		fuse_reply_err(req, EISDIR);
		return;
	}
}

static void op_poll(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi, struct fuse_pollhandle *ph)
{
	struct shim *s = fuse_req_userdata(req);
	unsigned idx;

	if (node_of(s, ino, &idx) == N_EVENTS) {
		shim_events_poll(s->ev, (struct shim_evfh *)(uintptr_t)fi->fh, req, ph);
		return;
	}
	/* Registers and DMA never block. */
	if (ph)
		fuse_pollhandle_destroy(ph);
	fuse_reply_poll(req, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}

static const struct fuse_lowlevel_ops shim_ops = {
	.init = op_init,
	.lookup = op_lookup,
	.getattr = op_getattr,
	.readdir = op_readdir,
	.open = op_open,
	.release = op_release,
	.read = op_read,
	.write = op_write,
	.poll = op_poll,
};

/* ---- glue between the card and the events nodes ------------------------------ */

static void on_irq(void *ctx, uint32_t rising)
{
	struct shim *s = ctx;

	if (s->ev)
		shim_events_raise(s->ev, rising);
}

static int on_waiting(void *ctx)
{
	struct shim *s = ctx;

	return s->ev ? shim_events_waiting(s->ev) : 0;
}

static void on_kick(void *ctx)
{
	shim_card_kick(((struct shim *)ctx)->card);
}

/* ---- command line ---------------------------------------------------------------- */

#define OPT(t, f, v) { t, offsetof(struct options, f), v }
static const struct fuse_opt option_spec[] = {
	OPT("--name %s", name, 0),
	OPT("--pid-file %s", pid_file, 0),
	OPT("--log %s", log, 0),
	OPT("--sim %s", sim, 0),
	OPT("--chunk %u", chunk, 0),
	OPT("-v", verbose, 1),
	OPT("--verbose", verbose, 1),
	OPT("-h", help, 1),
	OPT("--help", help, 1),
	FUSE_OPT_END
};

static void usage(const char *prog)
{
	printf("usage: %s MOUNTPOINT [options]\n"
	       "Serves a simulated Hermes card as Xilinx XDMA device nodes:\n"
	       "MOUNTPOINT/NAME_user, _control, _h2c_N, _c2h_N, _events_0.._15.\n\n"
	       "    --name NAME         node prefix (default xdma0); every --OPT VALUE\n"
	       "                        here is also --OPT=VALUE\n"
	       "    --pid-file FILE     write the server's pid there (after daemonizing)\n"
	       "    --sim OPTS          simulated card options: host_latency=CLOCKS,\n"
	       "                        host_reads=N, desc_bytes=N, dma_poll=1; PCIe cost\n"
	       "                        model: cost=pcie|zero, bar_rd=, bar_wr=,\n"
	       "                        bar_wr_delay= (CLOCKS), link_mbps=MB/s\n"
	       "    --chunk CLOCKS      clocks per step of the clock thread, 1 to 1000000\n"
	       "                        (default and 0: 500)\n"
	       "    -v, --verbose       log client cleanup and DMA errors to stderr\n"
	       "    --log FILE          stderr of the background server (default /dev/null)\n"
	       "    -f                  stay in the foreground\n"
	       "    -d                  FUSE debug output (implies -f)\n"
	       "    -s                  single-threaded\n"
	       "    -o OPT[,OPT...]     FUSE mount options (e.g. allow_other)\n", prog);
}

/*
 * Background mode: fork before the simulated card exists (its model may
 * start threads, which a fork would not carry over); the parent waits until
 * the child has mounted or failed and exits with the child's status.
 */
static int report_fd = -1;

static int go_background(void)
{
	unsigned char st = 1;
	int p[2];
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		do
			n = read(p[0], &st, 1);
		while (n < 0 && errno == EINTR);
		_exit(n == 1 ? st : 1);
	}
	close(p[0]);
	report_fd = p[1];
	setsid();
	return 0;
}

/* Tell a waiting parent how the start went (once). */
static void report(int status)
{
	unsigned char st = (unsigned char)status;

	if (report_fd < 0)
		return;
	if (write(report_fd, &st, 1) != 1) {
		/* The parent is gone: nobody to tell. */
	}
	close(report_fd);
	report_fd = -1;
}

/* Leave the terminal: stdin/stdout to /dev/null, stderr to log (or /dev/null). */
static int detach(const char *log)
{
	int null = open("/dev/null", O_RDWR), err = log ? open(log, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;

	if (null < 0 || (log && err < 0)) {
		fprintf(stderr, "xdma-fuse: cannot open %s: %s\n", log && err < 0 ? log : "/dev/null",
			strerror(errno));
		return -1;
	}
	if (chdir("/")) {
		/* Stay where we are; nothing depends on it. */
	}
	dup2(null, 0);
	dup2(null, 1);
	dup2(err >= 0 ? err : null, 2);
	close(null);
	if (err >= 0)
		close(err);
	return 0;
}

/*
 * The device ("0:N") of the topmost mount on path, from /proc/self/mountinfo
 * ("" if none). A server whose mount was detached (fusermount3 -u -z) while
 * clients kept it alive must not unmount, at its exit, whatever has been
 * mounted on the same directory since. Paths that mountinfo escapes (white
 * space, backslash) are not compared: dev is "?" and the server unmounts.
 */
static void mount_dev(const char *path, char *dev, size_t len)
{
	char line[PATH_MAX + 512], mdev[64], mpoint[PATH_MAX];
	FILE *f;

	snprintf(dev, len, "%s", strpbrk(path, " \t\n\\") ? "?" : "");
	if (*dev || !(f = fopen("/proc/self/mountinfo", "r")))
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %63s %*s %4095s", mdev, mpoint) == 2 && !strcmp(mpoint, path))
			snprintf(dev, len, "%s", mdev);
	fclose(f);
}

/*
 * A mount whose connection was aborted (echo 1 >
 * /sys/fs/fuse/connections/N/abort) stays behind, every access failing with
 * ENOTCONN: libfuse's unmount takes the aborted connection for one already
 * unmounted. Detach it as fuse_session_unmount() would have: umount2() as
 * root, else fusermount3 -u -z.
 */
static void unmount_aborted(const char *path)
{
	extern char **environ;
	char *argv[] = { "fusermount3", "-u", "-z", (char *)path, NULL };
	int status = -1;
	pid_t pid;

	if (umount2(path, MNT_DETACH) == 0) {
		fprintf(stderr, "xdma-fuse: the FUSE connection was aborted; unmounted %s\n", path);
		return;
	}
	if (errno == EPERM && posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		fprintf(stderr, "xdma-fuse: the FUSE connection was aborted; unmounted %s (fusermount3)\n", path);
		return;
	}
	fprintf(stderr, "xdma-fuse: the FUSE connection was aborted and %s could not be unmounted: "
		"unmount it by hand (fusermount3 -u -z %s)\n", path, path);
}

/*
 * fuse_opt's "--name %s" template also matches "--name=X" and takes "=X"
 * as the value ("--chunk %u" fails on "=100"), and a "--name=%s" template
 * beside it does not help: both match, the last one wins. So "--opt=VALUE"
 * of this program's own options becomes "--opt" "VALUE" before parsing, and
 * both forms mean the same. (Arguments after "--" are left alone.)
 */
static int split_own_options(int argc, char **argv, struct fuse_args *out)
{
	static const char *const own[] = { "--name", "--pid-file", "--log", "--sim", "--chunk" };
	int rest = 0;

	for (int i = 0; i < argc; i++) {
		const char *eq = rest ? NULL : strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : 0;
		const char *name = NULL;

		rest = rest || !strcmp(argv[i], "--");
		for (size_t k = 0; eq && k < sizeof(own) / sizeof(own[0]); k++)
			if (strlen(own[k]) == n && !strncmp(argv[i], own[k], n))
				name = own[k];
		if (name ? fuse_opt_add_arg(out, name) || fuse_opt_add_arg(out, eq + 1)
			 : fuse_opt_add_arg(out, argv[i]))
			return -1;
	}
	return 0;
}

static int valid_name(const char *n)
{
	return *n && !strchr(n, '/') && strlen(n) < 200;
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct options o = { 0 };
	struct fuse_cmdline_opts co = { 0 };
	struct shim s = { 0 };
	struct shim_card_cfg cfg = { 0 };
	struct fuse_session *se = NULL;
	struct fuse_loop_config lc = { .clone_fd = 0, .max_idle_threads = 16 };
	char err[256] = "", our_dev[64] = "", now_dev[64];
	int ret = 1, mounted = 0, handlers = 0;

	if (split_own_options(argc, argv, &args) != 0) {
		fprintf(stderr, "xdma-fuse: out of memory\n");
		fuse_opt_free_args(&args);
		return 1;
	}
	if (fuse_opt_parse(&args, &o, option_spec, NULL) != 0) {
		fuse_opt_free_args(&args);
		return 2;
	}
	if (o.help) {
		usage(argv[0]);
		fuse_cmdline_help();
		fuse_lowlevel_help();
		fuse_opt_free_args(&args);
		return 0;
	}
	if (fuse_parse_cmdline(&args, &co) != 0) {
		fuse_opt_free_args(&args);
		return 2;
	}
	if (co.show_version) {
		printf("xdma-fuse, FUSE library %s\n", fuse_pkgversion());
		fuse_lowlevel_version();
		ret = 0;
		goto out;
	}
	if (!co.mountpoint) {
		fprintf(stderr, "xdma-fuse: no mount point (usage: %s MOUNTPOINT [options], --help for more)\n",
			argv[0]);
		ret = 2;
		goto out;
	}
	s.name = o.name ? o.name : "xdma0";
	if (!valid_name(s.name)) {
		fprintf(stderr, "xdma-fuse: bad --name '%s' (a file name prefix without '/')\n", s.name);
		ret = 2;
		goto out;
	}
	if (o.chunk > 1000000) {
		fprintf(stderr, "xdma-fuse: --chunk %u: at most 1000000 clocks a step (a longer step keeps "
			"clients waiting that long)\n", o.chunk);
		ret = 2;
		goto out;
	}
	s.verbose = o.verbose;
	s.started = time(NULL);
	if (!co.foreground && go_background() != 0) {
		fprintf(stderr, "xdma-fuse: cannot fork into the background: %s\n", strerror(errno));
		goto out;
	}

	cfg.irq = on_irq;
	cfg.waiting = on_waiting;
	cfg.ctx = &s;
	cfg.chunk = o.chunk;
	cfg.verbose = o.verbose || co.debug;
	cfg.sim_opts = o.sim;
	if (shim_card_new(&cfg, &s.card, err, sizeof(err)) != 0) {
		fprintf(stderr, "xdma-fuse: %s\n", err);
		goto out;
	}
	s.h2c = shim_card_h2c(s.card);
	s.c2h = shim_card_c2h(s.card);
	s.bar4 = shim_card_bar4_size(s.card);
	if (shim_events_new(SHIM_EVENTS, on_kick, &s, &s.ev) != 0) {
		fprintf(stderr, "xdma-fuse: out of memory\n");
		goto out;
	}

	se = fuse_session_new(&args, &shim_ops, sizeof(shim_ops), &s);
	if (!se)
		goto out;
	if (fuse_set_signal_handlers(se) != 0)
		goto out;
	handlers = 1;
	if (fuse_session_mount(se, co.mountpoint) != 0) {
		fprintf(stderr, "xdma-fuse: cannot mount on %s (is /dev/fuse there, and may this user mount?)\n",
			co.mountpoint);
		ret = EXIT_MOUNT;
		goto out;
	}
	mounted = 1;
	mount_dev(co.mountpoint, our_dev, sizeof(our_dev));
	if (o.pid_file) {
		FILE *f = fopen(o.pid_file, "w");

		if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
			fprintf(stderr, "xdma-fuse: cannot write %s\n", o.pid_file);
			goto out;
		}
	}
	if (shim_card_start(s.card) != 0) {
		fprintf(stderr, "xdma-fuse: cannot start the clock thread\n");
		goto out;
	}
	if (!co.foreground && detach(o.log) != 0)
		goto out;
	report(0);
	if (s.verbose)
		fprintf(stderr, "xdma-fuse: %s/%s_* serve a card with %u engines, %u H2C and %u C2H channels, BAR4 %llu bytes\n",
			co.mountpoint, s.name, shim_card_engines(s.card), s.h2c, s.c2h,
			(unsigned long long)s.bar4);
	ret = co.singlethread ? fuse_session_loop(se) : fuse_session_loop_mt(se, &lc);
	if (!shim_session_end_clean(ret, fuse_session_fd(se))) {
		fprintf(stderr, "xdma-fuse: the FUSE session failed: %s\n", strerror(-ret));
		ret = 1;
	} else {
		if (ret < 0) /* libfuse printed the read's error: say it is not one */
			fprintf(stderr, "xdma-fuse: the kernel shut the FUSE connection down while a request "
				"was read; a normal end, as after the last user of a detached mount\n");
		ret = 0;
	}
	if (s.verbose) {
		struct shim_card_stats st;

		shim_card_stats(s.card, &st);
		fprintf(stderr, "xdma-fuse: exiting after %llu card clocks (%llu by the clock thread), "
			"%u commands tracked, %u runs aborted and %u slots released for closed clients, "
			"%u card resets\n",
			(unsigned long long)st.cycles, (unsigned long long)st.clock_thread_cycles,
			st.cmds_tracked, st.runs_aborted, st.slots_recovered, st.resets);
	}
out:
	report(ret ? ret : 1); /* a background parent still waiting learns why */
	shim_card_free(s.card); /* stops the clock thread before the events go away */
	s.card = NULL;
	shim_events_free(s.ev); /* answers waiting reads: the channel is still open */
	if (mounted) {
		mount_dev(co.mountpoint, now_dev, sizeof(now_dev));
		if (!strcmp(our_dev, "?") || !strcmp(now_dev, our_dev)) {
			fuse_session_unmount(se);
			mount_dev(co.mountpoint, now_dev, sizeof(now_dev));
			if (strcmp(our_dev, "?") && !strcmp(now_dev, our_dev))
				unmount_aborted(co.mountpoint);
		} else if (s.verbose)
			fprintf(stderr, "xdma-fuse: %s was unmounted while in use (lazily); not unmounting %s\n",
				co.mountpoint, *now_dev ? "the mount there now" : "again");
	}
	if (handlers)
		fuse_remove_signal_handlers(se);
	if (se)
		fuse_session_destroy(se);
	if (o.pid_file && mounted)
		unlink(o.pid_file);
	free(co.mountpoint);
	free(o.name);
	free(o.pid_file);
	free(o.log);
	free(o.sim);
	fuse_opt_free_args(&args);
	return ret;
}
