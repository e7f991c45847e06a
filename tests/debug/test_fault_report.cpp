// SPDX-License-Identifier: MIT
// Fault reports for every fault cause (1-8) on the simulated card and the
// reference VM: the cause in words, the faulting instruction disassembled
// with its neighbours, the address and what it points at, and the
// registers at the fault. On "sim" the registers are rebuilt from the RTL
// retire stream; they must equal the reference VM's own and the values the
// program computed. The text and --json forms carry the same facts.
#include <cinttypes>

#include "debug_helpers.h"
#include "fault_report.h"
#include "vm.h"

extern "C" {
#include "cmd.h"
#include "cosim.h"
}

namespace {

struct FaultCase {
	const char *name;
	unsigned cause;
	const char *text;      // program
	uint64_t budget;       // 0: default
	uint32_t pc;
	uint64_t addr;
	const char *addr_info; // part of the address explanation
	unsigned reg;          // a register the program set before the fault
	uint64_t reg_value;
	unsigned depth;
};

const FaultCase kCases[] = {
	{ "load past the data slot", HERMES_FAULT_LOAD,
	  "mov %r3, 0x1234\n lddw %r6, 0x20100000\n ldxdw %r0, [%r6+0]\n exit\n", 0, 3, 0x20100000,
	  "data slot + 0x100000, past its end", 3, 0x1234, 0 },
	{ "store below the data slot", HERMES_FAULT_STORE,
	  "mov %r3, 0x1234\n mov %r2, 7\n stxdw [%r1-8], %r2\n exit\n", 0, 2, 0x1ffffff8,
	  "0x8 bytes below the data slot", 2, 7, 0 },
	{ "store into the code", HERMES_FAULT_STORE,
	  "mov %r3, 0x1234\n lddw %r4, 0x10000008\n stb [%r4+0], 1\n exit\n", 0, 3, 0x10000008,
	  "inside the code (0x28 bytes), which is read-only", 4, 0x10000008, 0 },
	{ "jump past the end", HERMES_FAULT_FETCH, "mov %r3, 0x1234\n ja +5\n exit\n", 0, 1, 0x10000038,
	  "instruction 7 (0x10000000 + 8 * 7), outside the program (instructions 0 to 2)", 3, 0x1234, 0 },
	{ "illegal opcode", HERMES_FAULT_ILLEGAL, "mov %r3, 0x1234\n .quad 0x00000000000000ff\n exit\n", 0, 1, 0,
	  "does not execute this encoding", 3, 0x1234, 0 },
	{ "budget", HERMES_FAULT_BUDGET, "mov %r3, 0x1234\nloop:\n add %r3, 1\n ja loop\n", 10, 2, 0,
	  "10 instructions retired", 3, 0x1239, 0 },
	{ "call depth", HERMES_FAULT_CALL_DEPTH,
	  "mov %r3, 0x1234\nf:\n add %r3, 1\n mov %r6, %r3\n call local f\n exit\n", 0, 3, 0,
	  "would open a 9th frame", 6, 0x123c, 7 },
	{ "unknown helper", HERMES_FAULT_UNKNOWN_HELPER, "mov %r3, 0x1234\n call 4\n exit\n", 0, 1, 4,
	  "helper id 4", 3, 0x1234, 0 },
	// A callee changes r6 and returns: its exit's record carries r10 only,
	// the rebuilt r6 must be the caller's again.
	{ "after a callee returned", HERMES_FAULT_LOAD,
	  "mov %r6, 11\n mov %r7, 22\n call local f\n ldxdw %r0, [%r7+0]\n exit\n"
	  "f:\n mov %r6, 99\n mov %r7, 0x40\n mov %r8, 33\n exit\n",
	  0, 3, 22, "outside every region", 6, 11, 0 },
};

// Test names and failure messages show the case's name, not its bytes.
void PrintTo(const FaultCase &c, std::ostream *os)
{
	*os << c.name;
}

std::string hex16(uint64_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "0x%016" PRIx64, v);
	return b;
}

bool has(const std::string &s, const std::string &part)
{
	return s.find(part) != std::string::npos;
}

// The checks every report of a case goes through, text and JSON.
void check_report(const FaultCase &c, const hermes_prog *prog, const hermes_run_result &res,
		  const hermes_itrace_state &st, const char *dev)
{
	char *text = nullptr, *json = nullptr, insn[HERMES_DISASM_LEN], pcs[32], want[128];
	const hermes_insn *code = static_cast<const hermes_insn *>(hermes_prog_image(prog));
	size_t nslots = hermes_prog_code_len(prog) / 8;

	ASSERT_EQ(hermes_fault_report_text(prog, &res, &st, nullptr, 0, &text), 0);
	ASSERT_EQ(hermes_fault_report_json(prog, &res, &st, nullptr, &json), 0);
	std::string t(text), j(json);
	free(text);
	free(json);
	SCOPED_TRACE(std::string(dev) + " " + c.name + ":\n" + t + "\n" + j);

	ASSERT_GT(hermes_disasm_insn(code, nslots, c.pc, insn, sizeof(insn)), 0);
	snprintf(want, sizeof(want), "fault   %s (cause %u)\n", hermes_fault_str(c.cause), c.cause);
	EXPECT_TRUE(has(t, want)) << want;
	snprintf(pcs, sizeof(pcs), "%6u  ", c.pc);
	EXPECT_TRUE(has(t, std::string("  => ") + pcs + insn + "\n")) << "the faulting instruction marked";
	EXPECT_TRUE(has(t, "at      pc " + std::to_string(c.pc))) << "pc";
	snprintf(want, sizeof(want), "address 0x%" PRIx64 ": ", c.addr);
	EXPECT_TRUE(has(t, std::string(want) + "")) << want;
	EXPECT_TRUE(has(t, c.addr_info)) << c.addr_info;
	// Neighbours: the instruction before the fault is listed too.
	if (c.pc > 0) {
		char prev[HERMES_DISASM_LEN];
		size_t s = 0, last = 0;
		while (s < c.pc) {
			last = s;
			s += code[s].opcode == HERMES_OP_LDDW ? 2 : 1;
		}
		ASSERT_GT(hermes_disasm_insn(code, nslots, last, prev, sizeof(prev)), 0);
		EXPECT_TRUE(has(t, prev)) << "the instruction before: " << prev;
	}
	std::string r = "r" + std::to_string(c.reg);
	EXPECT_TRUE(has(t, (r.size() == 2 ? r + "  " : r + " ") + hex16(c.reg_value))) << r;
	EXPECT_TRUE(has(t, "call depth " + std::to_string(c.depth)));

	EXPECT_TRUE(has(j, "\"cause\": " + std::to_string(c.cause) + ",")) << "json cause";
	EXPECT_TRUE(has(j, std::string("\"cause_name\": \"") + hermes_fault_str(c.cause) + "\""));
	EXPECT_TRUE(has(j, "\"pc\": " + std::to_string(c.pc) + ",")) << "json pc";
	EXPECT_TRUE(has(j, std::string("\"insn\": \"") + insn + "\"")) << "json insn";
	EXPECT_TRUE(has(j, "\"addr\": " + std::to_string(c.addr) + ",")) << "json addr";
	EXPECT_TRUE(has(j, c.addr_info)) << "json addr_info";
	EXPECT_TRUE(has(j, "\"" + r + "\": \"" + hex16(c.reg_value) + "\"")) << "json " << r;
	EXPECT_TRUE(has(j, "\"pc\": " + std::to_string(c.pc) + ", \"insn\": \"" + std::string(insn) +
				   "\", \"fault\": true"))
		<< "json code listing";
}

class FaultReport : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultReport, SimAndRefExplainTheFaultAlike)
{
	const FaultCase &c = GetParam();
	hermes_prog *prog = assemble(c.text);
	ASSERT_NE(prog, nullptr);
	TracedRun sim = traced_run("sim", prog, c.budget);
	TracedRun ref = traced_run("ref", prog, c.budget);

	for (const TracedRun *t : { &sim, &ref }) {
		const char *dev = t == &sim ? "sim" : "ref";
		ASSERT_EQ(t->err, 0) << dev << ": " << t->errmsg;
		ASSERT_EQ(t->res.status, HERMES_ST_EBPF_ERROR) << dev;
		EXPECT_EQ(t->res.cause, c.cause) << dev;
		EXPECT_EQ(t->res.pc, c.pc) << dev;
		EXPECT_EQ(t->res.addr, c.addr) << dev;
		ASSERT_TRUE(t->state.valid) << dev;
		EXPECT_EQ(t->state.regs[c.reg], c.reg_value) << dev << " r" << c.reg;
		EXPECT_EQ(t->state.depth, c.depth) << dev;
		check_report(c, prog, t->res, t->state, dev);
	}
	EXPECT_STREQ(sim.state.source, "RTL retire stream");
	EXPECT_STREQ(ref.state.source, "reference VM");
	for (unsigned r = 0; r <= 10; r++)
		EXPECT_EQ(sim.state.regs[r], ref.state.regs[r])
			<< "r" << r << ": rebuilt from the RTL retire stream vs the reference VM";
	// Without clocks the two reports are the same text.
	char *a = nullptr, *b = nullptr;
	ASSERT_EQ(hermes_fault_report_text(prog, &sim.res, &sim.state, nullptr, HERMES_ITRACE_NOCLOCK, &a), 0);
	ASSERT_EQ(hermes_fault_report_text(prog, &ref.res, &ref.state, nullptr, HERMES_ITRACE_NOCLOCK, &b), 0);
	EXPECT_STREQ(a, b);
	// With them, sim says where to look in a waveform.
	free(a);
	ASSERT_EQ(hermes_fault_report_text(prog, &sim.res, &sim.state, nullptr, 0, &a), 0);
	if (sim.state.nhist)
		EXPECT_TRUE(has(a, "--trace-window")) << a;
	free(a);
	free(b);
	hermes_prog_free(prog);
}

INSTANTIATE_TEST_SUITE_P(Causes, FaultReport, ::testing::ValuesIn(kCases),
			 [](const ::testing::TestParamInfo<FaultCase> &i) {
				 std::string n = "cause" + std::to_string(i.param.cause) + "_";
				 for (const char *p = i.param.name; *p; p++)
					 n += isalnum((unsigned char)*p) ? *p : '_';
				 return n;
			 });

// Cause 7 cannot come from hermes_run() (a timeout aborts and reports an
// error), so the run is driven through the command registers: start a
// loop, let it retire, set ABORT. The reference VM is stepped as many
// instructions and aborted: same pc, same registers.
TEST(FaultReport7, AbortedByHostOnSimAndRef)
{
	const char *text = "mov %r3, 0x1234\nloop:\n add %r3, 1\n mov %r6, %r3\n add %r7, 2\n ja loop\n";
	hermes_prog *prog = assemble(text);
	ASSERT_NE(prog, nullptr);
	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open("sim", &dev), 0) << hermes_dev_errmsg(nullptr);
	hermes_cosim *cosim = nullptr;
	ASSERT_EQ(hermes_cosim_attach(dev, &cosim), 0);
	hermes_info info;
	ASSERT_EQ(hermes_dev_info(dev, &info), 0);
	unsigned pslot = 0, dslot = 0;
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_PROG, &pslot), 0);
	ASSERT_EQ(hermes__slot_alloc(dev, 0, HERMES_SLOT_DATA, &dslot), 0);
	ASSERT_EQ(dev->bus->ops->dma_to_card(dev->bus, info.prog_slot_off + (uint64_t)pslot * info.prog_slot_size,
					      hermes_prog_image(prog), hermes_prog_image_len(prog)),
		  0);
	uint32_t req[8] = { HERMES_CMD_RUN | 0x70000u, 0, pslot | dslot << 8, (uint32_t)hermes_prog_code_len(prog),
			    0, 0xffffffffu, 0, 0 };
	for (unsigned w = 0; w < 8; w++)
		ASSERT_EQ(hermes_dev_write32(dev, HERMES_EHCMDREQ(0) + 4 * w, req[w]), 0);
	ASSERT_EQ(hermes_dev_write32(dev, HERMES_EHCMDCTRL(0),
				     1u << HERMES_CTRL_IRQEN_SHIFT | 1u << HERMES_CTRL_EXEC_SHIFT), 0);
	hermes_sim_run(hermes__dev_sim(dev), 300);
	ASSERT_EQ(hermes_dev_write32(dev, HERMES_EHCMDCTRL(0),
				     1u << HERMES_CTRL_IRQEN_SHIFT | 1u << HERMES_CTRL_ABORT_SHIFT), 0);
	uint32_t ctrl = 0;
	for (int i = 0; i < 1000 && !(ctrl >> HERMES_CTRL_DONE_SHIFT & 0xff); i++)
		ASSERT_EQ(hermes_dev_read32(dev, HERMES_EHCMDCTRL(0), &ctrl), 0);
	ASSERT_TRUE(ctrl >> HERMES_CTRL_DONE_SHIFT & 0xff) << "no DONE after ABORT";
	uint32_t res[4];
	for (unsigned w = 0; w < 4; w++)
		ASSERT_EQ(hermes_dev_read32(dev, HERMES_EHCMDRES(0) + 4 * w, &res[w]), 0);
	ASSERT_EQ(hermes_dev_write32(dev, HERMES_EHCMDCTRL(0), 1u << HERMES_CTRL_IRQEN_SHIFT), 0); // ack DONE
	hermes_run_result r{};
	r.status = res[0] >> 16 & 0xff;
	r.pc = res[2];
	r.cause = res[3];
	uint32_t lo = 0, hi = 0;
	ASSERT_EQ(hermes_dev_read32(dev, HERMES_EHENGSTAT(0) + HERMES_STAT_FAULT_ADDR, &lo), 0);
	ASSERT_EQ(hermes_dev_read32(dev, HERMES_EHENGSTAT(0) + HERMES_STAT_FAULT_ADDR + 4, &hi), 0);
	r.addr = (uint64_t)hi << 32 | lo;
	ASSERT_EQ(r.status, HERMES_ST_EBPF_ERROR);
	ASSERT_EQ(r.cause, (unsigned)HERMES_FAULT_ABORTED);
	EXPECT_EQ(r.addr, 0u);
	size_t n = 0;
	const hermes_retire *recs = hermes_cosim_records(cosim, 0, &n);
	ASSERT_GT(n, 20u) << "the loop ran for 300 clocks";
	r.insns = n;
	hermes_itrace_state sim;
	hermes_itrace_state_rebuild(recs, n, info.data_slot_size, 0, &sim);
	ASSERT_TRUE(sim.valid);
	// Several turns of the loop (1 to r3, 2 to r7 per turn), stopped anywhere in one.
	EXPECT_GT(sim.regs[3], 0x1234u + 5);
	EXPECT_LE(sim.regs[7], 2 * (sim.regs[3] - 0x1234));
	EXPECT_GE(sim.regs[7] + 2, 2 * (sim.regs[3] - 0x1234));
	EXPECT_EQ(sim.nhist, (size_t)HERMES_ITRACE_HIST);

	// The reference VM: the same number of instructions, then ABORT.
	std::vector<unsigned char> pimg(HERMES_DEFAULT_PROG_SLOT_SIZE), dimg(HERMES_DEFAULT_DATA_SLOT_SIZE);
	memcpy(pimg.data(), hermes_prog_image(prog), hermes_prog_image_len(prog));
	hermes_vm *vm = hermes_vm_new(pimg.size(), dimg.size());
	ASSERT_EQ(hermes_vm_load(vm, pimg.data(), hermes_prog_code_len(prog), dimg.data(), 0), 0);
	hermes_vm_reset(vm, HERMES_DEFAULT_MAX_INSNS);
	hermes_retire rec;
	hermes_vm_status st{};
	for (size_t i = 0; i < n; i++)
		ASSERT_EQ(hermes_vm_step(vm, &rec, &st), 1);
	hermes_vm_abort(vm);
	EXPECT_EQ(hermes_vm_step(vm, &rec, &st), 0);
	EXPECT_EQ(st.fault, (unsigned)HERMES_FAULT_ABORTED);
	EXPECT_EQ(st.fault_pc, r.pc) << "the RTL stopped at the VM's next instruction";
	for (unsigned i = 0; i <= 10; i++)
		EXPECT_EQ(sim.regs[i], hermes_vm_reg(vm, i)) << "r" << i;
	hermes_vm_free(vm);

	FaultCase c = { "aborted", HERMES_FAULT_ABORTED, text, 0, r.pc, 0, "the host set ABORT", 3, sim.regs[3], 0 };
	check_report(c, prog, r, sim, "sim");
	char *t = nullptr;
	ASSERT_EQ(hermes_fault_report_text(prog, &r, &sim, nullptr, 0, &t), 0);
	EXPECT_TRUE(has(t, "(next, not executed)")) << t;
	printf("%s", t);
	free(t);

	EXPECT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_DATA, dslot), 0);
	EXPECT_EQ(hermes__slot_release(dev, 0, HERMES_SLOT_PROG, pslot), 0);
	hermes_cosim_detach(cosim);
	hermes_dev_close(dev);
	hermes_prog_free(prog);
}

// An xdma device has no retire stream: the report says so instead of
// printing registers.
TEST(FaultReportNoRegisters, SaysTheyAreNotAvailable)
{
	hermes_prog *prog = assemble("mov %r3, 1\n ja +5\n exit\n");
	ASSERT_NE(prog, nullptr);
	hermes_run_result r{};
	r.status = HERMES_ST_EBPF_ERROR;
	r.cause = HERMES_FAULT_FETCH;
	r.pc = 1;
	r.addr = 0x10000038;
	hermes_itrace_state none{};
	char *t = nullptr, *j = nullptr;
	ASSERT_EQ(hermes_fault_report_text(prog, &r, &none, nullptr, 0, &t), 0);
	ASSERT_EQ(hermes_fault_report_json(prog, &r, nullptr, nullptr, &j), 0);
	EXPECT_TRUE(has(t, "registers: not available")) << t;
	EXPECT_TRUE(has(j, "\"regs\": null")) << j;
	free(t);
	free(j);
	r.status = HERMES_ST_SUCCESS;
	EXPECT_EQ(hermes_fault_report_text(prog, &r, &none, nullptr, 0, &t), -EINVAL);
	hermes_prog_free(prog);
}

} // namespace
