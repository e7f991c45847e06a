// SPDX-License-Identifier: MIT
// test_vm_dev.cpp - the "ref" device through the public API
// (hermes_dev_open("ref"), hermes_dev_info, hermes_run).
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "hermes/hermes.h"
#include "test_vm_helpers.h"

using namespace vmt;

namespace {

struct RefDev {
	hermes_dev *dev = nullptr;
	RefDev(const char *uri = "ref")
	{
		int err = hermes_dev_open(uri, &dev);
		EXPECT_EQ(0, err) << hermes_dev_errmsg(nullptr);
	}
	~RefDev() { hermes_dev_close(dev); }
};

struct Prog {
	hermes_prog *p = nullptr;
	explicit Prog(const Code &c)
	{
		EXPECT_EQ(0, hermes_prog_from_bytecode(c.data(), c.size() * 8, &p)) << hermes_dev_errmsg(nullptr);
	}
	Prog(const Code &c, const std::vector<uint8_t> &globals)
	{
		std::vector<uint8_t> image(c.size() * 8);
		std::memcpy(image.data(), c.data(), image.size());
		image.insert(image.end(), globals.begin(), globals.end());
		EXPECT_EQ(0, hermes_prog_from_image(image.data(), image.size(), c.size() * 8, &p))
			<< hermes_dev_errmsg(nullptr);
	}
	~Prog() { hermes_prog_free(p); }
};

hermes_run_opts opts_with(uint64_t max_insns = 0, uint32_t data_len = 0)
{
	hermes_run_opts o;
	std::memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.engine = -1;
	o.max_insns = max_insns;
	o.data_len = data_len;
	return o;
}

TEST(RefDevice, OpenAndInfo)
{
	RefDev d;
	ASSERT_NE(nullptr, d.dev);
	EXPECT_STREQ("ref", hermes_dev_kind(d.dev));
	hermes_info info;
	ASSERT_EQ(0, hermes_dev_info(d.dev, &info)) << hermes_dev_errmsg(d.dev);
	EXPECT_EQ(HERMES_VERSION, info.version);
	EXPECT_STREQ("reference-vm", info.build);
	EXPECT_EQ(HERMES_DEFAULT_ENGINES, info.engines);
	EXPECT_EQ(HERMES_DEFAULT_PROG_SLOTS, info.prog_slots);
	EXPECT_EQ(HERMES_DEFAULT_DATA_SLOTS, info.data_slots);
	EXPECT_EQ(HERMES_DEFAULT_PROG_SLOT_SIZE, info.prog_slot_size);
	EXPECT_EQ(HERMES_DEFAULT_DATA_SLOT_SIZE, info.data_slot_size);
	EXPECT_EQ(0u, info.prog_slot_off);
	EXPECT_EQ(HERMES_DEFAULT_PROG_SLOTS * HERMES_DEFAULT_PROG_SLOT_SIZE, info.data_slot_off);
	EXPECT_EQ(HERMES_CAP_ATOMICS | HERMES_CAP_LOCAL_CALLS | HERMES_CAP_ABORT | HERMES_CAP_ITRACE | (1u << 7), info.caps);
	EXPECT_EQ(HERMES_DEFAULT_MAX_INSNS, info.max_insns);
	EXPECT_EQ(0u, info.h2c_channels);
	EXPECT_EQ(0u, info.c2h_channels);
}

TEST(RefDevice, UnknownOptionIsNamed)
{
	hermes_dev *dev = nullptr;
	EXPECT_EQ(-EINVAL, hermes_dev_open("ref:frobnicate=1", &dev));
	EXPECT_EQ(nullptr, dev);
	std::string msg = hermes_dev_errmsg(nullptr);
	EXPECT_NE(std::string::npos, msg.find("frobnicate")) << msg;
	EXPECT_EQ(-EINVAL, hermes_dev_open("ref:verbose", &dev));
	msg = hermes_dev_errmsg(nullptr);
	EXPECT_NE(std::string::npos, msg.find("'verbose'")) << msg;
	// An empty option string is fine.
	ASSERT_EQ(0, hermes_dev_open("ref:", &dev)) << hermes_dev_errmsg(nullptr);
	hermes_dev_close(dev);
}

TEST(RefDevice, RunTransformsData)
{
	// Add 1 to every input byte (r2 = length), return the sum of the new bytes.
	Code code = prog({
		/* 0 */ mov64(0, 0), mov64(3, 0),
		/* 2 */ jx(HERMES_JMP_JGE, 3, 2, 8), // -> 11
		/* 3 */ mov64r(4, 1), alu64x(HERMES_ALU_ADD, 4, 3), ldx(HERMES_SZ_B, 5, 4, 0), add64(5, 1),
		/* 7 */ stx(HERMES_SZ_B, 4, 5, 0), alu64x(HERMES_ALU_ADD, 0, 5), add64(3, 1), ja(-9),
		/* 11 */ exit_insn(),
	});
	RefDev d;
	Prog p(code);
	const uint8_t in[5] = { 1, 2, 3, 4, 0xff };
	uint8_t out[8];
	std::memset(out, 0xcc, sizeof(out));
	hermes_run_result res;
	ASSERT_EQ(0, hermes_run(d.dev, p.p, in, sizeof(in), out, sizeof(out), nullptr, &res))
		<< hermes_dev_errmsg(d.dev);
	EXPECT_EQ(HERMES_ST_SUCCESS, res.status);
	EXPECT_EQ(2u + 3 + 4 + 5 + 0x100, res.r0);
	const uint8_t want[8] = { 2, 3, 4, 5, 0, 0, 0, 0 }; // the rest of the slot is zero
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(want[i], out[i]) << "byte " << i;
	EXPECT_EQ(0, res.engine);
	EXPECT_EQ(0u, res.cycles);
	EXPECT_EQ(2u + 5 * 9 + 1 + 1, res.insns);
}

TEST(RefDevice, DataLengthInR2)
{
	RefDev d;
	Prog p(prog({ mov64r(0, 2), exit_insn() }));
	hermes_run_result res;
	uint8_t in[10] = {};
	ASSERT_EQ(0, hermes_run(d.dev, p.p, in, sizeof(in), nullptr, 0, nullptr, &res));
	EXPECT_EQ(10u, res.r0) << "r2 = in_len by default";
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_DEFAULT_DATA_SLOT_SIZE, res.r0) << "no input: r2 = slot size";
	hermes_run_opts o = opts_with(0, 1234);
	ASSERT_EQ(0, hermes_run(d.dev, p.p, in, sizeof(in), nullptr, 0, &o, &res));
	EXPECT_EQ(1234u, res.r0) << "opts.data_len wins";
}

TEST(RefDevice, FaultReported)
{
	RefDev d;
	Prog p(prog({ mov64(0, 1), lddw(3, 0x20100000), ldx(HERMES_SZ_W, 0, 3, -2), exit_insn() }));
	hermes_run_result res;
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_ST_EBPF_ERROR, res.status);
	EXPECT_EQ((unsigned)HERMES_FAULT_LOAD, res.cause);
	EXPECT_EQ(3u, res.pc);
	EXPECT_EQ(0x20100000ull - 2, res.addr);
	EXPECT_EQ(2u, res.insns);

	Prog h(prog({ call_helper(4), exit_insn() }));
	ASSERT_EQ(0, hermes_run(d.dev, h.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_ST_EBPF_ERROR, res.status);
	EXPECT_EQ((unsigned)HERMES_FAULT_UNKNOWN_HELPER, res.cause);
	EXPECT_EQ(4u, res.addr);

	// map_lookup_elem with r1 = the data slot, no map: bad helper argument
	Prog m(prog({ call_helper(1), exit_insn() }));
	ASSERT_EQ(0, hermes_run(d.dev, m.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_ST_EBPF_ERROR, res.status);
	EXPECT_EQ((unsigned)HERMES_FAULT_BAD_HELPER_ARG, res.cause);
	EXPECT_EQ(HERMES_DATA_BASE, res.addr);
}

TEST(RefDevice, Budget)
{
	RefDev d;
	Prog p(prog({ ja(-1) }));
	hermes_run_result res;
	hermes_run_opts o = opts_with(1000);
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, &o, &res));
	EXPECT_EQ(HERMES_ST_EBPF_ERROR, res.status);
	EXPECT_EQ((unsigned)HERMES_FAULT_BUDGET, res.cause);
	EXPECT_EQ(1000u, res.insns);
	// Default budget: EHMAXI.
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ((unsigned)HERMES_FAULT_BUDGET, res.cause);
	EXPECT_EQ(HERMES_DEFAULT_MAX_INSNS, res.insns);
	// An older opts struct without max_insns: the default applies.
	o = opts_with(1000);
	o.sz = offsetof(hermes_run_opts, max_insns);
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, &o, &res));
	EXPECT_EQ(HERMES_DEFAULT_MAX_INSNS, res.insns);
}

TEST(RefDevice, Globals)
{
	// Read a global after the code, bump it, read it back; writing code faults.
	// The code is 7 slots: the global is at byte 56 of the program slot.
	Code code = prog({ lddw(3, HERMES_PROG_BASE + 8 * 7), ldx(HERMES_SZ_W, 0, 3, 0), add64(0, 1),
			   stx(HERMES_SZ_W, 3, 0, 0), ldx(HERMES_SZ_W, 0, 3, 0), exit_insn() });
	ASSERT_EQ(7u, code.size());
	RefDev d;
	Prog p(code, { 41, 0, 0, 0 });
	hermes_run_result res;
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_ST_SUCCESS, res.status);
	EXPECT_EQ(42u, res.r0);
	// Runs start from the image again: the store did not stick.
	ASSERT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(42u, res.r0);

	Code bad = prog({ lddw(3, HERMES_PROG_BASE), sti(HERMES_SZ_B, 3, 8, 1), exit_insn() });
	Prog pb(bad);
	ASSERT_EQ(0, hermes_run(d.dev, pb.p, nullptr, 0, nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_ST_EBPF_ERROR, res.status);
	EXPECT_EQ((unsigned)HERMES_FAULT_STORE, res.cause);
	EXPECT_EQ(HERMES_PROG_BASE + 8, res.addr);
}

TEST(RefDevice, SlotsAreFreshEveryRun)
{
	RefDev d;
	// Run 1 leaves marks in the data slot beyond the input and on the stack.
	Prog w(prog({ sti(HERMES_SZ_DW, 1, 4096, -1), sti(HERMES_SZ_DW, 10, -8, -1), exit_insn() }));
	hermes_run_result res;
	ASSERT_EQ(0, hermes_run(d.dev, w.p, nullptr, 0, nullptr, 0, nullptr, &res));
	ASSERT_EQ(HERMES_ST_SUCCESS, res.status);
	Prog r(prog({ ldx(HERMES_SZ_DW, 0, 1, 4096), ldx(HERMES_SZ_DW, 3, 10, -8), alu64x(HERMES_ALU_OR, 0, 3),
		      exit_insn() }));
	uint8_t in[16] = { 1 };
	ASSERT_EQ(0, hermes_run(d.dev, r.p, in, sizeof(in), nullptr, 0, nullptr, &res));
	EXPECT_EQ(HERMES_ST_SUCCESS, res.status);
	EXPECT_EQ(0u, res.r0) << "data slot or stack kept a previous run's contents";
}

TEST(RefDevice, SizeLimits)
{
	RefDev d;
	std::vector<hermes_insn> big(HERMES_DEFAULT_PROG_SLOT_SIZE / 8 + 1, exit_insn());
	Prog p(big);
	hermes_run_result res;
	EXPECT_EQ(-E2BIG, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, nullptr, &res));
	std::string msg = hermes_dev_errmsg(d.dev);
	EXPECT_NE(std::string::npos, msg.find("program slot")) << msg;

	// Exactly a full slot of code is fine.
	std::vector<hermes_insn> full(HERMES_DEFAULT_PROG_SLOT_SIZE / 8, exit_insn());
	Prog pf(full);
	EXPECT_EQ(0, hermes_run(d.dev, pf.p, nullptr, 0, nullptr, 0, nullptr, &res)) << hermes_dev_errmsg(d.dev);
	EXPECT_EQ(HERMES_ST_SUCCESS, res.status);

	Prog ok(prog({ exit_insn() }));
	std::vector<uint8_t> in(HERMES_DEFAULT_DATA_SLOT_SIZE + 1);
	EXPECT_EQ(-E2BIG, hermes_run(d.dev, ok.p, in.data(), in.size(), nullptr, 0, nullptr, &res));
	msg = hermes_dev_errmsg(d.dev);
	EXPECT_NE(std::string::npos, msg.find("data slot")) << msg;
	EXPECT_EQ(-E2BIG, hermes_run(d.dev, ok.p, nullptr, 0, in.data(), in.size(), nullptr, &res));
	msg = hermes_dev_errmsg(d.dev);
	EXPECT_NE(std::string::npos, msg.find("data slot")) << msg;
	// A full data slot in and out is fine.
	in.pop_back();
	in[in.size() - 1] = 0x42;
	std::vector<uint8_t> out(in.size());
	EXPECT_EQ(0, hermes_run(d.dev, ok.p, in.data(), in.size(), out.data(), out.size(), nullptr, &res));
	EXPECT_EQ(0x42u, out.back());
}

TEST(RefDevice, BadEngine)
{
	RefDev d;
	Prog p(prog({ exit_insn() }));
	hermes_run_result res;
	hermes_run_opts o = opts_with();
	o.engine = 99;
	EXPECT_EQ(-EINVAL, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, &o, &res));
	o.engine = 0;
	EXPECT_EQ(0, hermes_run(d.dev, p.p, nullptr, 0, nullptr, 0, &o, &res));
}

} // namespace
