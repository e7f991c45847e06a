// SPDX-License-Identifier: MIT
// hermes_run is thread-safe per device on the in-process simulated card:
// engine_lock.c serialises runs with a device mutex. Several threads share
// one "sim" device, each checking its own results.
#include <gtest/gtest.h>

#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "asm.h"
#include "hermes/hermes.h"

namespace {

// r0 = sum of the data bytes, each byte incremented in place.
const char *kProg = R"(
      mov %r0, 0
      mov %r3, 0
loop: jge %r3, %r2, done
      mov %r4, %r1
      add %r4, %r3
      ldxb %r5, [%r4]
      add %r0, %r5
      add %r5, 1
      stxb [%r4], %r5
      add %r3, 1
      ja loop
done: exit
)";

TEST(EngineLockSim, ThreadsSharingOneSimDeviceGetTheirOwnResults)
{
	hermes_insn *insns = nullptr;
	size_t n = 0;
	hermes_asm_error e{};
	ASSERT_EQ(hermes_asm(kProg, &insns, &n, &e), 0) << e.msg;
	hermes_prog *prog = nullptr;
	ASSERT_EQ(hermes_prog_from_bytecode(insns, n * 8, &prog), 0);
	free(insns);
	hermes_dev *dev = nullptr;
	ASSERT_EQ(hermes_dev_open("sim", &dev), 0) << hermes_dev_errmsg(nullptr);

	std::mutex m;
	std::vector<std::string> errors;
	std::vector<std::thread> ts;
	for (unsigned k = 0; k < 4; k++)
		ts.emplace_back([&, k] {
			std::mt19937 rng(k + 1);
			for (unsigned i = 0; i < 8; i++) {
				size_t len = 8 + rng() % 120;
				std::vector<uint8_t> in(len), out(len);
				uint64_t sum = 0;
				for (auto &b : in) {
					b = uint8_t(rng() % 255);
					sum += b;
				}
				hermes_run_result res{};
				std::string why;
				if (hermes_run(dev, prog, in.data(), len, out.data(), len, nullptr, &res))
					why = std::string("hermes_run: ") + hermes_dev_errmsg(dev);
				else if (res.status || res.r0 != sum)
					why = "status " + std::to_string(res.status) + " r0 " + std::to_string(res.r0) +
					      ", want " + std::to_string(sum);
				else
					for (size_t j = 0; j < len && why.empty(); j++)
						if (out[j] != uint8_t(in[j] + 1))
							why = "byte " + std::to_string(j) + " is " + std::to_string(out[j]) +
							      ", want " + std::to_string(in[j] + 1);
				if (!why.empty()) {
					std::lock_guard<std::mutex> g(m);
					errors.push_back("thread " + std::to_string(k) + " run " + std::to_string(i) + ": " + why);
				}
			}
		});
	for (auto &t : ts)
		t.join();
	EXPECT_TRUE(errors.empty()) << errors.size() << " wrong runs, first: " << errors[0];
	hermes_dev_close(dev);
	hermes_prog_free(prog);
}

} // namespace
