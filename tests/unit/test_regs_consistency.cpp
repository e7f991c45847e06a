// SPDX-License-Identifier: MIT
// The register map lives twice: rtl/hermes_pkg.sv for the RTL and
// host/include/hermes/regs.h for the host. This test parses both and fails
// on any constant that is missing on one side or differs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

namespace {

std::string slurp(const std::string &path)
{
	std::ifstream f(path);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

// SV: localparam int unsigned NAME = 'h1F; / = 48;
std::map<std::string, uint64_t> parse_sv(const std::string &text)
{
	std::map<std::string, uint64_t> out;
	std::regex re(R"(localparam\s+int\s+unsigned\s+(\w+)\s*=\s*('h([0-9A-Fa-f_]+)|(\d+))\s*;)");
	for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
		const std::smatch &m = *it;
		std::string hex = m[3].str();
		hex.erase(std::remove(hex.begin(), hex.end(), '_'), hex.end());
		out[m[1]] = m[3].matched ? std::stoull(hex, nullptr, 16) : std::stoull(m[4]);
	}
	return out;
}

// C: #define HERMES_NAME 0x1Fu / 48u / (1u << 3); function-like macros skipped.
std::map<std::string, uint64_t> parse_c(const std::string &text)
{
	std::map<std::string, uint64_t> out;
	std::regex re(R"(#define\s+HERMES_(\w+)\s+(\(1u\s*<<\s*(\d+)\)|(0x[0-9A-Fa-f]+|\d+)u?)\s*(/\*.*)?\n)");
	for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
		const std::smatch &m = *it;
		out[m[1]] = m[3].matched ? (1ull << std::stoull(m[3])) : std::stoull(m[4], nullptr, 0);
	}
	return out;
}

TEST(RegsConsistency, PackageAndHeaderAgree)
{
	auto sv = parse_sv(slurp(HERMES_SOURCE_DIR "/rtl/hermes_pkg.sv"));
	auto c = parse_c(slurp(HERMES_SOURCE_DIR "/host/include/hermes/regs.h"));
	ASSERT_GT(sv.size(), 40u) << "parsed too few constants from hermes_pkg.sv";
	ASSERT_GT(c.size(), 40u) << "parsed too few constants from regs.h";
	for (const auto &[name, value] : sv) {
		auto it = c.find(name);
		if (it == c.end()) {
			ADD_FAILURE() << name << " is in hermes_pkg.sv but HERMES_" << name << " is not in regs.h";
			continue;
		}
		EXPECT_EQ(it->second, value) << name << ": regs.h 0x" << std::hex << it->second
					     << ", hermes_pkg.sv 0x" << value;
	}
	for (const auto &[name, value] : c)
		EXPECT_TRUE(sv.count(name)) << "HERMES_" << name << " = 0x" << std::hex << value
					    << " is in regs.h but not in hermes_pkg.sv";
	std::printf("compared %zu constants\n", sv.size());
}

} // namespace
