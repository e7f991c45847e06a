// SPDX-License-Identifier: MIT
// Shared pieces of the xdma-fuse tests: the node prefix of the mount the
// test runs on (with_mount.sh exports HERMES_XDMA), raw node access with
// the XDMA driver's calling conventions, and commands written by hand.
#ifndef HERMES_XFUSE_HELPERS_H
#define HERMES_XFUSE_HELPERS_H

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "hermes/hermes.h"

namespace xfuse {

// MNT/xdma0, from the environment; the test is skipped without it.
inline std::string prefix()
{
	const char *p = getenv("HERMES_XDMA");
	return p ? p : "";
}

#define XFUSE_NEED_MOUNT()                                                                   \
	do {                                                                                  \
		if (xfuse::prefix().empty())                                                  \
			GTEST_SKIP() << "HERMES_XDMA is not set (run through with_mount.sh)"; \
	} while (0)

inline std::string node(const std::string &suffix)
{
	return prefix() + "_" + suffix;
}

inline std::string device()
{
	return "xdma:" + prefix();
}

// n pseudo-random bytes from seed.
inline std::vector<uint8_t> pattern(size_t n, uint32_t seed)
{
	std::vector<uint8_t> v(n);
	std::mt19937 rng(seed);
	for (auto &b : v)
		b = uint8_t(rng());
	return v;
}

// open(2) of a node; -errno on failure.
inline int open_node(const std::string &suffix, int flags)
{
	int fd = open(node(suffix).c_str(), flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

// One 4-byte register access; 0 or -errno.
inline int reg_read(int fd, uint32_t off, uint32_t *v)
{
	ssize_t n = pread(fd, v, 4, off);
	return n == 4 ? 0 : n < 0 ? -errno : -EIO;
}

inline int reg_write(int fd, uint32_t off, uint32_t v)
{
	ssize_t n = pwrite(fd, &v, 4, off);
	return n == 4 ? 0 : n < 0 ? -errno : -EIO;
}

constexpr uint32_t kExec = 1u << HERMES_CTRL_EXEC_SHIFT;
constexpr uint32_t kDone = 1u << HERMES_CTRL_DONE_SHIFT;
constexpr uint32_t kAbort = 1u << HERMES_CTRL_ABORT_SHIFT;
constexpr uint32_t kIrqEn = 1u << HERMES_CTRL_IRQEN_SHIFT;

struct Resp {
	int err = 0;         // 0 or -errno of the register traffic
	unsigned status = 0; // byte 2 of EHCMDRES
	unsigned id = 0;     // bytes 0-1
	uint8_t b8 = 0;      // byte 8 (slot id of Request Slot)
};

// Write a request on engine e through the user node fd and start it.
inline int cmd_start(int user, unsigned e, const uint8_t req[HERMES_EHCMDREQ_LEN])
{
	for (unsigned i = 0; i < HERMES_EHCMDREQ_LEN; i += 4) {
		uint32_t w;
		memcpy(&w, req + i, 4);
		if (int err = reg_write(user, HERMES_EHCMDREQ(e) + i, w))
			return err;
	}
	return reg_write(user, HERMES_EHCMDCTRL(e), kIrqEn | kExec);
}

// Poll EHCMDCTRL e until DONE (at most timeout_ms), read the response, acknowledge.
inline Resp cmd_finish(int user, unsigned e, unsigned timeout_ms = 5000)
{
	Resp r;
	uint32_t ctrl = 0, w = 0;
	for (unsigned t = 0;; t++) {
		if ((r.err = reg_read(user, HERMES_EHCMDCTRL(e), &ctrl)))
			return r;
		if (ctrl & kDone)
			break;
		if (t >= timeout_ms) {
			r.err = -ETIMEDOUT;
			return r;
		}
		usleep(1000);
	}
	if ((r.err = reg_read(user, HERMES_EHCMDRES(e), &w)))
		return r;
	r.id = w & 0xffff;
	r.status = (w >> 16) & 0xff;
	if ((r.err = reg_read(user, HERMES_EHCMDRES(e) + 8, &w)))
		return r;
	r.b8 = w & 0xff;
	r.err = reg_write(user, HERMES_EHCMDCTRL(e), kIrqEn);
	return r;
}

inline Resp slot_cmd(int user, unsigned e, unsigned op, unsigned type, unsigned slot, unsigned id)
{
	uint8_t req[HERMES_EHCMDREQ_LEN] = {};
	req[0] = (uint8_t)op;
	req[2] = (uint8_t)id;
	req[3] = (uint8_t)(id >> 8);
	req[8] = (uint8_t)type;
	req[9] = (uint8_t)slot;
	Resp r;
	if ((r.err = cmd_start(user, e, req)))
		return r;
	return cmd_finish(user, e);
}

// Allocate slots of a type until the card says "no free slot"; returns
// the ids got (and releases them again when release is set).
inline std::vector<unsigned> drain_slots(int user, unsigned e, unsigned type, bool release, int *err)
{
	std::vector<unsigned> got;
	*err = 0;
	for (unsigned i = 0; i < 256; i++) {
		Resp r = slot_cmd(user, e, HERMES_CMD_REQ_SLOT, type, 0, 100 + i);
		if (r.err) {
			*err = r.err;
			break;
		}
		if (r.status == HERMES_ST_NO_SLOT)
			break;
		if (r.status != HERMES_ST_SUCCESS) {
			*err = -EPROTO;
			break;
		}
		got.push_back(r.b8);
	}
	if (release)
		for (unsigned s : got) {
			Resp r = slot_cmd(user, e, HERMES_CMD_REL_SLOT, type, s, 900);
			if (r.err || r.status != HERMES_ST_SUCCESS)
				*err = r.err ? r.err : -EPROTO;
		}
	return got;
}

// Own every slot of the card while in scope. The card zeroes released
// slots in the background (and only hands out zeroed ones), so DMA tests
// that use BAR4 as plain memory must own it: allocating every slot also
// waits for scrubbing still under way from earlier clients.
struct OwnAllSlots {
	int fd = -1, err = 0;
	std::vector<unsigned> prog, data;
	OwnAllSlots()
	{
		fd = open_node("user", O_RDWR);
		if (fd < 0) {
			err = fd;
			return;
		}
		prog = drain_slots(fd, 0, HERMES_SLOT_PROG, false, &err);
		if (!err)
			data = drain_slots(fd, 0, HERMES_SLOT_DATA, false, &err);
	}
	~OwnAllSlots()
	{
		if (fd >= 0)
			close(fd); // xdma-fuse gives back what this handle allocated
	}
	bool all() const
	{
		return !err && prog.size() == HERMES_DEFAULT_PROG_SLOTS && data.size() == HERMES_DEFAULT_DATA_SLOTS;
	}
};

} // namespace xfuse

#endif
