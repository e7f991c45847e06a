// SPDX-License-Identifier: MIT
#include "engine_tb.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "Vhermes_engine.h"
#include "verilated.h"

namespace core_tb {

namespace {

uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

void put_le(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

uint64_t mask_bytes(unsigned n)
{
	return n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
}

}  // namespace

std::string to_string(const Retire &r)
{
	char buf[256];
	snprintf(buf, sizeof(buf),
		 "pc=%" PRIu32 " insn=%016" PRIx64 " rd=%u rd_value=%016" PRIx64
		 " mem=%u size=%u addr=%016" PRIx64 " value=%016" PRIx64,
		 r.pc, r.insn, r.rd, r.rd_value, r.mem, r.mem_size, r.mem_addr, r.mem_value);
	return buf;
}

std::string to_string(const hermes_retire &r)
{
	Retire x;
	x.pc = r.pc;
	x.insn = r.insn;
	x.rd = r.rd;
	x.rd_value = r.rd_value;
	x.mem = r.mem;
	x.mem_size = r.mem_size;
	x.mem_addr = r.mem_addr;
	x.mem_value = r.mem_value;
	return to_string(x);
}

// Registers and memories without a reset start random (the model is
// verilated with --x-initial unique), so nothing may depend on them.
static Vhermes_engine *new_model()
{
	Verilated::randReset(2);
	return new Vhermes_engine;
}

EngineTb::EngineTb()
	: top_(new_model()), bar4_((size_t)kMapRegion + (size_t)kProgSlots * kMapSlotBytes, 0)
{
	reset();
}

EngineTb::~EngineTb()
{
	top_->final();
}

void EngineTb::reset()
{
	top_->clk_i = 0;
	top_->rst_ni = 0;
	top_->start_i = 0;
	top_->abort_i = 0;
	top_->dmem_gnt_i = 0;
	top_->dmem_rvalid_i = 0;
	top_->dmem_rdata_i = 0;
	top_->eval();
	for (int i = 0; i < 3; i++) {
		top_->clk_i = 1;
		top_->eval();
		top_->clk_i = 0;
		top_->eval();
	}
	top_->rst_ni = 1;
	top_->eval();
}

void EngineTb::load_code(unsigned slot, const std::vector<uint64_t> &code)
{
	uint8_t *p = prog_slot(slot);
	for (size_t i = 0; i < code.size(); i++)
		put_le(p + 8 * i, 8, code[i]);
}

void EngineTb::fill_data(unsigned slot, uint64_t seed, size_t bytes)
{
	std::mt19937_64 g(seed);
	uint8_t *p = data_slot(slot);
	for (size_t i = 0; i < bytes; i++)
		p[i] = (uint8_t)g();
}

// One clock: drive the memory's inputs, evaluate, sample, rising edge,
// then let the memory act on what was granted / answered in this clock.
// Outputs of the engine are registered, so sampling after the low-phase
// eval sees this clock's values.
static RunResult *g_cur;  // run being recorded (single-threaded tests)

void EngineTb::tick()
{
	Vhermes_engine &t = *top_;
	bool req = t.dmem_req_o;
	// Fields that matter for the operation (wdata: stores and atomics;
	// amo and cmp: atomics); the others are don't care.
	unsigned op_now = t.dmem_op_o;
	uint64_t sig[4] = { (uint64_t)t.dmem_op_o | (uint64_t)t.dmem_size_o << 2 |
			    (uint64_t)(op_now == 2 ? t.dmem_amo_o : 0) << 4 | (uint64_t)t.dmem_addr_o << 12,
			    op_now != 0 ? t.dmem_wdata_o : 0, op_now == 2 ? t.dmem_cmp_o : 0, 0 };

	if (check_protocol && held_ && protocol_error.empty()) {
		if (!req)
			protocol_error = "request withdrawn before its grant";
		else if (memcmp(sig, held_sig_, sizeof(sig)) != 0)
			protocol_error = "request fields changed before the grant";
	}
	std::uniform_real_distribution<double> u(0.0, 1.0);
	bool gnt = req && !(mem.stall > 0 && u(rng_) < mem.stall);
	bool rv = !resp_.empty() && resp_.front().ready <= cycle_;
	t.dmem_gnt_i = gnt;
	t.dmem_rvalid_i = rv;
	t.dmem_rdata_i = rv ? resp_.front().data : rng_();  // garbage unless valid
	t.clk_i = 0;
	t.eval();

	if (g_cur) {
		if (t.rvfi_valid_o) {
			Retire r;
			r.pc = t.rvfi_pc_o;
			r.insn = t.rvfi_insn_o;
			r.rd = t.rvfi_rd_o;
			r.rd_value = t.rvfi_rd_value_o;
			r.mem = t.rvfi_mem_kind_o;
			r.mem_size = t.rvfi_mem_size_o;
			r.mem_addr = t.rvfi_mem_addr_o;
			r.mem_value = t.rvfi_mem_value_o;
			r.cycle = cycle_;
			g_cur->trace.push_back(r);
		}
		if (t.done_o)
			g_cur->done_pulses++;
	}

	t.clk_i = 1;
	t.eval();

	if (gnt) {
		unsigned op = sig[0] & 3, n = 1u << ((sig[0] >> 2) & 3), amo = (sig[0] >> 4) & 0xff;
		uint64_t addr = (uint32_t)(sig[0] >> 12), data = 0;
		if (addr + n > bar4_.size()) {
			if (protocol_error.empty())
				protocol_error = "access outside BAR4 at " + std::to_string(addr);
		} else {
			uint8_t *p = &bar4_[addr];
			uint64_t wd = sig[1] & mask_bytes(n), cmp = sig[2] & mask_bytes(n);
			if (op == 0) {
				data = get_le(p, n);
			} else if (op == 1) {
				put_le(p, n, wd);
			} else {
				uint64_t old = get_le(p, n), nv = old;
				bool write = true;
				if (n != 4 && n != 8 && protocol_error.empty())
					protocol_error = "atomic of size " + std::to_string(n);
				switch (amo) {
				case 0x00: case 0x01: nv = old + wd; break;
				case 0x40: case 0x41: nv = old | wd; break;
				case 0x50: case 0x51: nv = old & wd; break;
				case 0xa0: case 0xa1: nv = old ^ wd; break;
				case 0xe1: nv = wd; break;
				case 0xf1: write = (old == cmp); nv = wd; break;
				default:
					write = false;
					if (protocol_error.empty())
						protocol_error = "unknown atomic op " + std::to_string(amo);
				}
				if (write)
					put_le(p, n, nv & mask_bytes(n));
				data = old;
			}
		}
		unsigned span = mem.max_latency > mem.min_latency ? mem.max_latency - mem.min_latency : 0;
		uint64_t lat = std::max(1u, mem.min_latency) + (span ? rng_() % (span + 1) : 0);
		uint64_t ready = std::max(cycle_ + lat, last_ready_);
		last_ready_ = ready;
		resp_.push_back({ ready, data });
		requests++;
	}
	if (rv)
		resp_.pop_front();
	held_ = req && !gnt;
	memcpy(held_sig_, sig, sizeof(sig));
	cycle_++;
}

void EngineTb::pulse_abort()
{
	top_->abort_i = 1;
	tick();
	top_->abort_i = 0;
}

void EngineTb::idle(unsigned clocks)
{
	for (unsigned i = 0; i < clocks; i++)
		tick();
}

RunResult EngineTb::run(const RunOpts &o)
{
	RunResult r;
	Vhermes_engine &t = *top_;

	rng_.seed(mem.seed);
	g_cur = &r;
	t.prog_slot_i = o.prog_slot;
	t.data_slot_i = o.data_slot;
	t.prog_len_i = o.prog_len;
	t.data_len_i = o.data_len;
	t.max_insns_i = o.max_insns;
	t.start_i = 1;
	tick();
	t.start_i = 0;
	uint64_t clk = 1;
	for (; r.done_pulses == 0; clk++) {
		if (clk > o.timeout) {
			r.timed_out = true;
			break;
		}
		t.abort_i = (o.abort_after >= 0 && clk == (uint64_t)o.abort_after);
		bool restart = o.restart_after >= 0 && clk == (uint64_t)o.restart_after;
		t.start_i = restart;
		if (restart) {
			t.prog_slot_i = o.prog_slot + 1;
			t.data_slot_i = o.data_slot + 1;
			t.prog_len_i = 8;
			t.max_insns_i = 1;
		}
		tick();
		t.start_i = 0;
	}
	t.abort_i = 0;
	r.clocks = clk;
	r.fault = t.fault_cause_o;
	r.fault_pc = t.fault_pc_o;
	r.fault_addr = t.fault_addr_o;
	r.r0 = t.r0_o;
	r.insns = t.insns_o;
	r.cycles = t.cycles_o;
	// A few idle clocks: no second done pulse, no stray retire.
	size_t n = r.trace.size();
	idle(4);
	if (r.trace.size() != n && protocol_error.empty())
		protocol_error = "retire after done";
	g_cur = nullptr;
	if (t.busy_o && protocol_error.empty())
		protocol_error = "busy after done";
	return r;
}

static bool same(const Retire &a, const hermes_retire &b)
{
	return a.pc == b.pc && a.insn == b.insn && a.rd == b.rd && a.rd_value == b.rd_value &&
	       a.mem == b.mem && a.mem_size == b.mem_size && a.mem_addr == b.mem_addr &&
	       a.mem_value == b.mem_value;
}

::testing::AssertionResult lockstep(EngineTb &tb, const std::vector<uint64_t> &code,
				      const RunOpts &o, LockstepResult *out)
{
	RunOpts ro = o;
	if (!ro.prog_len)
		ro.prog_len = (uint32_t)(code.size() * 8);
	tb.load_code(ro.prog_slot, code);
	std::vector<uint8_t> prog(tb.prog_slot(ro.prog_slot), tb.prog_slot(ro.prog_slot) + kProgSlotBytes);
	std::vector<uint8_t> data(tb.data_slot(ro.data_slot), tb.data_slot(ro.data_slot) + kDataSlotBytes);
	std::vector<uint8_t> map(tb.map_slot(ro.prog_slot), tb.map_slot(ro.prog_slot) + kMapSlotBytes);
	// Run Program zeroes the engine's trace record count (engine 0's, at
	// map slot + 0x1000), as the card does before the program's first access.
	memset(&map[0x1000], 0, 4);

	tb.protocol_error.clear();
	RunResult r = tb.run(ro);
	if (r.timed_out)
		return ::testing::AssertionFailure() << "RTL timed out after " << r.clocks << " clocks, "
						     << r.trace.size() << " retired";
	if (!tb.protocol_error.empty())
		return ::testing::AssertionFailure() << "dmem protocol: " << tb.protocol_error;
	if (r.done_pulses != 1)
		return ::testing::AssertionFailure() << "done pulses: " << r.done_pulses;

	struct hermes_vm *vm = hermes_vm_new(kProgSlotBytes, kDataSlotBytes);
	if (!vm || hermes_vm_load(vm, prog.data(), ro.prog_len, data.data(), ro.data_len) != 0) {
		hermes_vm_free(vm);
		return ::testing::AssertionFailure() << "VM load failed";
	}
	hermes_vm_set_map_slot(vm, map.data(), map.size(), 0);
	hermes_vm_reset(vm, ro.max_insns);
	hermes_vm_status st{};
	hermes_retire rec{};
	size_t i = 0;
	::testing::AssertionResult res = ::testing::AssertionSuccess();
	for (;;) {
		if (r.fault == 7 && i == r.trace.size())
			hermes_vm_abort(vm);
		int ret = hermes_vm_step(vm, &rec, &st);
		if (ret) {
			if (i >= r.trace.size()) {
				res = ::testing::AssertionFailure()
				      << "VM retired more than the RTL (" << r.trace.size() << "); VM #" << i
				      << ": " << to_string(rec) << "; RTL ended with fault " << r.fault
				      << " pc " << r.fault_pc;
				break;
			}
			if (!same(r.trace[i], rec)) {
				res = ::testing::AssertionFailure()
				      << "retire #" << i << " differs\n  VM : " << to_string(rec)
				      << "\n  RTL: " << to_string(r.trace[i]);
				break;
			}
			i++;
		}
		if (st.done)
			break;
	}
	if (res && i != r.trace.size())
		res = ::testing::AssertionFailure() << "RTL retired " << r.trace.size() << ", VM " << i
						    << "; RTL #" << i << ": " << to_string(r.trace[i])
						    << "; VM fault " << st.fault << " pc " << st.fault_pc;
	if (res && (st.fault != r.fault || st.fault_pc != r.fault_pc || st.fault_addr != r.fault_addr))
		res = ::testing::AssertionFailure()
		      << "end differs: VM fault " << st.fault << " pc " << st.fault_pc << " addr 0x"
		      << std::hex << st.fault_addr << "; RTL fault " << std::dec << r.fault << " pc "
		      << r.fault_pc << " addr 0x" << std::hex << r.fault_addr;
	if (res && !st.fault && st.r0 != r.r0)
		res = ::testing::AssertionFailure() << "r0: VM 0x" << std::hex << st.r0 << " RTL 0x" << r.r0;
	if (res && (st.insns != r.insns || r.insns != r.trace.size()))
		res = ::testing::AssertionFailure() << "insns: VM " << st.insns << " RTL insns_o " << r.insns
						    << " records " << r.trace.size();
	if (res && memcmp(data.data(), tb.data_slot(ro.data_slot), kDataSlotBytes) != 0) {
		size_t k = 0;
		while (data[k] == tb.data_slot(ro.data_slot)[k])
			k++;
		res = ::testing::AssertionFailure() << "data slot differs at offset " << k << ": VM "
						    << (unsigned)data[k] << " RTL "
						    << (unsigned)tb.data_slot(ro.data_slot)[k];
	}
	if (res && memcmp(prog.data(), tb.prog_slot(ro.prog_slot), kProgSlotBytes) != 0)
		res = ::testing::AssertionFailure() << "program slot differs";
	if (res && memcmp(map.data(), tb.map_slot(ro.prog_slot), kMapSlotBytes) != 0)
		res = ::testing::AssertionFailure() << "map slot differs";
	if (out) {
		out->rtl = r;
		out->vm = st;
		out->vm_retired = i;
	}
	hermes_vm_free(vm);
	return res;
}

}  // namespace core_tb
