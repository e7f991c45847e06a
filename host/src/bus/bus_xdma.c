/* SPDX-License-Identifier: MIT */
/*
 * bus_xdma.c - a card behind the Xilinx XDMA driver's device nodes, or an
 * xdma-fuse mount serving the same nodes (docs/XDMA.md has the semantics).
 *
 *   PREFIX_user      BAR0: mmap where the node supports it, else pread/pwrite of 4 bytes
 *   PREFIX_control   BAR2: pread/pwrite of 4 bytes
 *   PREFIX_h2c_0     DMA to the card: pwrite at offset = card address
 *   PREFIX_c2h_0     DMA from the card: pread at offset = card address
 *   PREFIX_events_N  user interrupt N: read(4) blocks until pending; poll() works
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "clock.h"

#define BAR0_MAP_SIZE 0x10000u
#define MAX_EVENTS 16
#define FUSE_SUPER_MAGIC 0x65735546
/* The Xilinx driver returns the kernel-internal -ERESTARTSYS when a transfer times out. */
#define XDMA_ERESTARTSYS 512

struct bus_xdma {
	struct hermes_bus bus;
	char prefix[PATH_MAX];
	int user_fd, control_fd, h2c_fd, c2h_fd;
	int events_fd[MAX_EVENTS];
	int map_lock_fd;             /* the user node opened again: its flock owns EHMLOCK */
	pthread_mutex_t events_lock; /* opening events nodes from several threads */
	volatile uint32_t *bar0; /* mmap of the user node, or NULL */
};

static const struct hermes_bus_ops xdma_bus_ops;

static struct bus_xdma *to_x(struct hermes_bus *bus)
{
	return (struct bus_xdma *)bus;
}

static int open_node(struct bus_xdma *x, const char *suffix, int flags, int *fdp)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s_%s", x->prefix, suffix);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return hermes__err(x->bus.dev, -e, "cannot open %s: %s%s", path, strerror(e),
				   e == ENOENT ? " (is the xdma driver loaded, or xdma-fuse mounted there?)" :
				   e == EACCES ? " (permission denied: run as root or add a udev rule for the xdma nodes)" :
				   "");
	}
	*fdp = fd;
	return 0;
}

static int node_err(struct bus_xdma *x, const char *suffix, const char *what, uint64_t off, int e)
{
	return hermes__err(x->bus.dev, -e, "%s %s_%s at 0x%llx: %s%s", what, x->prefix, suffix,
			   (unsigned long long)off, strerror(e),
			   e == ENODEV || e == ENXIO ? " (device gone)" : "");
}

static int reg_read(struct bus_xdma *x, int fd, const char *node, uint32_t off, uint32_t *val)
{
	ssize_t n;

	do
		n = pread(fd, val, 4, off);
	while (n < 0 && errno == EINTR);
	if (n == 4)
		return 0;
	return node_err(x, node, "read of", off, n < 0 ? errno : EIO);
}

static int reg_write(struct bus_xdma *x, int fd, const char *node, uint32_t off, uint32_t val)
{
	ssize_t n;

	do
		n = pwrite(fd, &val, 4, off);
	while (n < 0 && errno == EINTR);
	if (n == 4)
		return 0;
	return node_err(x, node, "write of", off, n < 0 ? errno : EIO);
}

static int x_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	struct bus_xdma *x = to_x(bus);

	if (x->bar0 && off < BAR0_MAP_SIZE) {
		*val = x->bar0[off / 4];
		return 0;
	}
	return reg_read(x, x->user_fd, "user", off, val);
}

static int x_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	struct bus_xdma *x = to_x(bus);

	if (x->bar0 && off < BAR0_MAP_SIZE) {
		x->bar0[off / 4] = val;
		return 0;
	}
	return reg_write(x, x->user_fd, "user", off, val);
}

static int x_ctl_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	return reg_read(to_x(bus), to_x(bus)->control_fd, "control", off, val);
}

static int x_ctl_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	return reg_write(to_x(bus), to_x(bus)->control_fd, "control", off, val);
}

/* Move len bytes, resuming after short transfers and EINTR. */
static int dma(struct bus_xdma *x, int to_card, uint64_t addr, void *buf, size_t len)
{
	const char *node = to_card ? "h2c_0" : "c2h_0";
	int fd = to_card ? x->h2c_fd : x->c2h_fd;
	char where[PATH_MAX + 16];
	size_t done = 0;
	int err;

	/* Checked here: the driver (and xdma-fuse) sees the transfer in pieces
	 * and would move the ones before the piece that leaves BAR4. */
	snprintf(where, sizeof(where), "%s_%s", x->prefix, node);
	if ((err = hermes__dma_range_check(x->bus.dev, to_card, where, addr, len)))
		return err;
	while (done < len) {
		ssize_t n = to_card ? pwrite(fd, (char *)buf + done, len - done, (off_t)(addr + done))
				    : pread(fd, (char *)buf + done, len - done, (off_t)(addr + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == XDMA_ERESTARTSYS)
			return hermes__err(x->bus.dev, -ETIMEDOUT,
					   "DMA %s %s_%s at 0x%llx timed out (the xdma driver's h2c/c2h_timeout_ms, error 512)",
					   to_card ? "write to" : "read from", x->prefix, node,
					   (unsigned long long)(addr + done));
		if (n < 0)
			return node_err(x, node, to_card ? "DMA write to" : "DMA read from", addr + done, errno);
		if (n == 0)
			return hermes__err(x->bus.dev, -EIO, "DMA %s %s_%s at 0x%llx made no progress (%zu of %zu bytes moved)",
					   to_card ? "write to" : "read from", x->prefix, node,
					   (unsigned long long)(addr + done), done, len);
		done += (size_t)n;
	}
	return 0;
}

static int x_dma_to_card(struct hermes_bus *bus, uint64_t addr, const void *buf, size_t len)
{
	return dma(to_x(bus), 1, addr, (void *)buf, len);
}

static int x_dma_from_card(struct hermes_bus *bus, uint64_t addr, void *buf, size_t len)
{
	return dma(to_x(bus), 0, addr, buf, len);
}

static int events_fd(struct bus_xdma *x, unsigned n, int *fdp)
{
	char suffix[32];
	int err;

	if (n >= MAX_EVENTS)
		return hermes__err(x->bus.dev, -EINVAL, "user interrupt %u is out of range", n);
	pthread_mutex_lock(&x->events_lock);
	if (x->events_fd[n] < 0) {
		snprintf(suffix, sizeof(suffix), "events_%u", n);
		if ((err = open_node(x, suffix, O_RDONLY, &x->events_fd[n]))) {
			pthread_mutex_unlock(&x->events_lock);
			return err;
		}
	}
	*fdp = x->events_fd[n];
	pthread_mutex_unlock(&x->events_lock);
	return 0;
}

/* Other processes may use the card: engine n is owned by an flock on PREFIX_events_n. */
static int x_engine_lock_fd(struct hermes_bus *bus, unsigned n, int *fd)
{
	return events_fd(to_x(bus), n, fd);
}

/* Other processes may use the card: EHMLOCK is theirs by an flock on a descriptor of PREFIX_user of its own. */
static int x_map_lock_fd(struct hermes_bus *bus, int *fd)
{
	struct bus_xdma *x = to_x(bus);
	int err = 0;

	pthread_mutex_lock(&x->events_lock);
	if (x->map_lock_fd < 0)
		err = open_node(x, "user", O_RDONLY, &x->map_lock_fd);
	*fd = x->map_lock_fd;
	pthread_mutex_unlock(&x->events_lock);
	return err;
}

/* A poll of a real card's registers crosses PCIe: at most one a millisecond. */
static void x_pause(struct hermes_bus *bus, unsigned us)
{
	struct timespec ts = { 0, (long)(us < 1000 ? 1000 : us) * 1000 };

	(void)bus;
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	nanosleep(&ts, NULL);
}

static int x_wait_irq(struct hermes_bus *bus, uint32_t mask, unsigned timeout_ms, uint32_t *pending)
{
	struct bus_xdma *x = to_x(bus);
	struct pollfd pfd[MAX_EVENTS];
	unsigned irq[MAX_EVENTS], n = 0;
	int64_t deadline = hermes__now_ms() + timeout_ms;
	int err;

	for (unsigned i = 0; i < MAX_EVENTS; i++) {
		if (!(mask & (1u << i)))
			continue;
		if ((err = events_fd(x, i, &pfd[n].fd)))
			return err;
		pfd[n].events = POLLIN;
		irq[n++] = i;
	}
	*pending = 0;
	for (;;) {
		int64_t left = deadline - hermes__now_ms();
		int r;

		if (left < 0)
			left = 0;
		r = poll(pfd, n, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return hermes__err(bus->dev, -errno, "poll on %s_events_*: %s", x->prefix, strerror(errno));
		if (r == 0)
			return -ETIMEDOUT;
		for (unsigned i = 0; i < n; i++) {
			uint32_t v;
			ssize_t got;

			if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			/* The driver answers EAGAIN when a signal ends the wait. */
			do
				got = read(pfd[i].fd, &v, 4);
			while (got < 0 && (errno == EINTR || errno == EAGAIN));
			if (got != 4)
				return hermes__err(bus->dev, got < 0 ? -errno : -EIO, "read of %s_events_%u: %s",
						   x->prefix, irq[i], got < 0 ? strerror(errno) : "short read");
			if (v)
				*pending |= 1u << irq[i];
		}
		if (*pending)
			return 0;
	}
}

static void x_close(struct hermes_bus *bus)
{
	struct bus_xdma *x = to_x(bus);

	if (x->bar0)
		munmap((void *)x->bar0, BAR0_MAP_SIZE);
	for (unsigned i = 0; i < MAX_EVENTS; i++)
		if (x->events_fd[i] >= 0)
			close(x->events_fd[i]);
	if (x->map_lock_fd >= 0) close(x->map_lock_fd);
	if (x->user_fd >= 0) close(x->user_fd);
	if (x->control_fd >= 0) close(x->control_fd);
	if (x->h2c_fd >= 0) close(x->h2c_fd);
	if (x->c2h_fd >= 0) close(x->c2h_fd);
	pthread_mutex_destroy(&x->events_lock);
	free(x);
}

static const struct hermes_bus_ops xdma_bus_ops = {
	.read32 = x_read32,
	.write32 = x_write32,
	.ctl_read32 = x_ctl_read32,
	.ctl_write32 = x_ctl_write32,
	.dma_to_card = x_dma_to_card,
	.dma_from_card = x_dma_from_card,
	.wait_irq = x_wait_irq,
	.pause = x_pause,
	.engine_lock_fd = x_engine_lock_fd,
	.map_lock_fd = x_map_lock_fd,
	.close = x_close,
};

/* mmap BAR0 unless the node lives on FUSE (no coherent mmap there). */
static void try_map_bar0(struct bus_xdma *x)
{
	struct statfs sfs;
	void *p;

	if (fstatfs(x->user_fd, &sfs) == 0 && sfs.f_type == FUSE_SUPER_MAGIC)
		return;
	if (getenv("HERMES_XDMA_NO_MMAP"))
		return;
	p = mmap(NULL, BAR0_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, x->user_fd, 0);
	if (p != MAP_FAILED)
		x->bar0 = p;
}

int hermes__bus_xdma_open(struct hermes_dev *dev, const char *prefix, struct hermes_bus **busp)
{
	struct bus_xdma *x;
	int err;

	if (!*prefix)
		return hermes__err(dev, -EINVAL, "device 'xdma:' needs a node prefix, e.g. xdma:/dev/xdma0");
	if (strlen(prefix) >= PATH_MAX)
		return hermes__err(dev, -ENAMETOOLONG, "xdma node prefix is too long");
	x = calloc(1, sizeof(*x));
	if (!x)
		return hermes__err(dev, -ENOMEM, "out of memory");
	x->bus.ops = &xdma_bus_ops;
	x->bus.dev = dev;
	strcpy(x->prefix, prefix);
	x->user_fd = x->control_fd = x->h2c_fd = x->c2h_fd = x->map_lock_fd = -1;
	for (unsigned i = 0; i < MAX_EVENTS; i++)
		x->events_fd[i] = -1;
	pthread_mutex_init(&x->events_lock, NULL);
	if ((err = open_node(x, "user", O_RDWR, &x->user_fd)) ||
	    (err = open_node(x, "control", O_RDWR, &x->control_fd)) ||
	    (err = open_node(x, "h2c_0", O_WRONLY, &x->h2c_fd)) ||
	    (err = open_node(x, "c2h_0", O_RDONLY, &x->c2h_fd))) {
		x_close(&x->bus);
		return err;
	}
	try_map_bar0(x);
	*busp = &x->bus;
	return 0;
}
