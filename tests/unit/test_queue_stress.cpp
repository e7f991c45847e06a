// SPDX-License-Identifier: MIT
// Thousands of jobs through one queue: mixed programs (more than the
// program cache holds), input sizes from 0 to 2 KiB, deliberate faults,
// budget exhaustion, programs with globals and linked chains, submitted
// as room frees up; every completion is matched to its job and checked
// against the result computed on the host. HERMES_QUEUE_STRESS_JOBS
// overrides the count (default 2000).
#include "test_queue_helpers.h"

#include <cerrno>
#include <map>
#include <set>

using namespace qtest;

namespace {

enum Kind { XOR, SPIN, FAULT, BUDGET, GLOBALS, CHAIN, KINDS };

struct Expect {
	Kind kind;
	unsigned status;
	int res;
	uint64_t r0;
	unsigned cause;
	uint64_t insns; // 0: not checked
	std::vector<uint8_t> out, want;
	bool seen = false;
};

class QueueStress : public QueueTest {};

unsigned stress_jobs()
{
	const char *s = getenv("HERMES_QUEUE_STRESS_JOBS");
	return s ? (unsigned)strtoul(s, nullptr, 0) : 2000u;
}

void run_stress(hermes_queue *q, unsigned total, unsigned prog_variety, uint32_t seed, bool ordered,
		std::map<int, unsigned> &per_engine)
{
	std::vector<Prog> xors, spins;
	for (unsigned k = 0; k < prog_variety; k++) {
		xors.push_back(assemble(xor_sum_text(k + 1)));
		spins.push_back(assemble(spin_text(20 + 13 * k)));
	}
	Prog fault = assemble(fault_load_text()), loop = assemble(forever_text()), add3 = assemble(add_bytes_text(3));
	uint64_t g = 0xfeedface12345678ull;
	std::vector<uint8_t> glob(8);
	memcpy(glob.data(), &g, 8);
	Prog globals = assemble("lddw %r3, 0x10000028\nldxdw %r0, [%r3]\nstxdw [%r3], %r1\nexit\n", glob);

	std::vector<Expect> ex(total);
	std::vector<std::vector<uint8_t>> inputs(total);
	std::vector<hermes_job> jobs;
	jobs.reserve(total);
	for (unsigned i = 0; i < total;) {
		seed = seed * 1664525u + 1013904223u;
		Kind kind = (Kind)((seed >> 8) % KINDS);
		unsigned var = (seed >> 16) % prog_variety;
		size_t len = (seed >> 4) % 2049;
		if (kind == CHAIN && i + 2 > total)
			kind = XOR;
		hermes_job j{};
		j.user_data = i;
		Expect &e = ex[i];
		e.kind = kind;
		e.res = 0;
		e.status = HERMES_ST_SUCCESS;
		e.insns = 0;
		switch (kind) {
		case XOR:
		case CHAIN: {
			inputs[i] = random_bytes(len, seed);
			j.prog = xors[var].get();
			j.in = inputs[i].data();
			j.in_len = len;
			e.r0 = byte_sum(inputs[i]);
			// Read back more than was written: a fresh slot is zero beyond the input.
			size_t extra = kind == XOR ? (seed >> 20) % 64 : 0;
			e.want = inputs[i];
			for (auto &b : e.want)
				b ^= (uint8_t)(var + 1);
			e.want.resize(len + extra, 0);
			e.out.assign(len + extra, 0xee);
			if (kind == XOR) {
				j.out = e.out.data();
				j.out_len = e.out.size();
			} else {
				// xor, then add 3 on the same slot: output of the second.
				j.flags = HERMES_JOB_LINK;
				jobs.push_back(j);
				i++;
				hermes_job k{};
				Expect &e2 = ex[i];
				e2.kind = CHAIN;
				e2.res = 0;
				e2.status = HERMES_ST_SUCCESS;
				e2.r0 = len;
				e2.insns = 0;
				e2.want = e.want;
				for (auto &b : e2.want)
					b = (uint8_t)(b + 3);
				e2.out.assign(len, 0xee);
				e.want.clear();
				e.out.clear();
				k.prog = add3.get();
				k.out = e2.out.data();
				k.out_len = len;
				k.user_data = i;
				j = k;
			}
			break;
		}
		case SPIN: {
			uint64_t n = 20 + 13 * var;
			j.prog = spins[var].get();
			e.r0 = n * (n + 1) / 2;
			e.insns = 2 + 3 * n + 1;
			break;
		}
		case FAULT:
			j.prog = fault.get();
			e.status = HERMES_ST_EBPF_ERROR;
			e.cause = HERMES_FAULT_LOAD;
			break;
		case BUDGET:
			j.prog = loop.get();
			j.max_insns = 1 + (seed >> 12) % 500;
			e.status = HERMES_ST_EBPF_ERROR;
			e.cause = HERMES_FAULT_BUDGET;
			e.insns = j.max_insns;
			break;
		case GLOBALS:
			j.prog = globals.get();
			e.r0 = g;
			break;
		default:
			break;
		}
		jobs.push_back(j);
		i++;
	}

	unsigned sent = 0, got = 0;
	std::vector<hermes_completion> c(64);
	while (got < total) {
		if (sent < total) {
			int r = hermes_queue_submit(q, jobs.data() + sent, total - sent);
			if (r > 0)
				sent += (unsigned)r;
			else
				ASSERT_EQ(r, -EAGAIN) << hermes_queue_errmsg(q);
		}
		int w = hermes_queue_wait(q, 1, 60000);
		ASSERT_GE(w, 1) << hermes_queue_errmsg(q) << " (" << got << " of " << total << " completed)";
		int n = hermes_queue_reap(q, c.data(), (unsigned)c.size());
		ASSERT_GE(n, 1) << hermes_queue_errmsg(q);
		for (int k = 0; k < n; k++) {
			const hermes_completion &x = c[k];
			ASSERT_LT(x.user_data, total);
			Expect &e = ex[x.user_data];
			ASSERT_FALSE(e.seen) << "job " << x.user_data << " completed twice";
			if (ordered)
				ASSERT_EQ(x.user_data, got) << "ordered queue: completion " << got;
			e.seen = true;
			got++;
			EXPECT_EQ(x.res, e.res) << "job " << x.user_data << " kind " << e.kind << ": "
						<< hermes_queue_errmsg(q);
			EXPECT_EQ(x.status, e.status) << "job " << x.user_data << " kind " << e.kind;
			if (e.status == HERMES_ST_SUCCESS)
				EXPECT_EQ(x.r0, e.r0) << "job " << x.user_data << " kind " << e.kind;
			else
				EXPECT_EQ(x.cause, e.cause) << "job " << x.user_data << " kind " << e.kind;
			if (e.insns)
				EXPECT_EQ(x.insns, e.insns) << "job " << x.user_data << " kind " << e.kind;
			EXPECT_EQ(e.out, e.want) << "output of job " << x.user_data << " kind " << e.kind;
			per_engine[x.engine]++;
		}
	}
}

TEST_F(QueueStress, ThousandsOfMixedJobs)
{
	unsigned total = stress_jobs();
	hermes_queue *q = make_queue(48);
	ASSERT_NE(q, nullptr);
	std::map<int, unsigned> per_engine;
	run_stress(q, total, 7, 12345, false, per_engine);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.completed, total);
	EXPECT_EQ(st.submitted, total);
	EXPECT_EQ(hermes_queue_pending(q), 0u);
	EXPECT_EQ(st.prog_cache_hits + st.prog_uploads, total) << "every job found its program loaded or uploaded it";
	std::string spread;
	for (auto &[e, n] : per_engine) {
		char u[64];
		snprintf(u, sizeof(u), " (busy %.0f%%)",
			 st.clocks ? 100.0 * (double)st.eng_busy_clocks[e] / (double)st.clocks : 0.0);
		spread += " e" + std::to_string(e) + ":" + std::to_string(n) + u;
	}
	EXPECT_EQ(per_engine.size(), info.engines) << "jobs per engine:" << spread;
	printf("%u jobs in %llu card clocks, %.2f s; %llu program uploads, %llu cache hits; jobs per engine:%s\n",
	       total, (unsigned long long)st.clocks, st.wall_ns * 1e-9, (unsigned long long)st.prog_uploads,
	       (unsigned long long)st.prog_cache_hits, spread.c_str());
	hermes_queue_destroy(q);
}

TEST_F(QueueStress, OrderedWithoutProgramCache)
{
	unsigned total = stress_jobs() / 4;
	hermes_queue *q = make_queue(16, HERMES_QUEUE_ORDERED | HERMES_QUEUE_NO_PROG_CACHE);
	ASSERT_NE(q, nullptr);
	std::map<int, unsigned> per_engine;
	run_stress(q, total, 3, 777, true, per_engine);
	hermes_queue_stats st{};
	st.sz = sizeof(st);
	ASSERT_EQ(hermes_queue_get_stats(q, &st), 0);
	EXPECT_EQ(st.prog_cache_hits, 0u);
	EXPECT_EQ(st.prog_uploads, total) << "one upload per job";
	hermes_queue_destroy(q);
}

} // namespace
