// SPDX-License-Identifier: MIT
// Shared pieces of the debugging tests: assembling, traced runs, VCD files.
#ifndef HERMES_DEBUG_HELPERS_H
#define HERMES_DEBUG_HELPERS_H

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "asm.h"
#include "hermes/hermes.h"
#include "hermes_sim.h"
#include "itrace.h"

// dev.h has no C++ guards; the one internal call the tests need.
extern "C" struct hermes_sim *hermes__dev_sim(struct hermes_dev *dev);

// A fresh directory under $TMPDIR (or /tmp), removed by the destructor.
struct TempDir {
	std::string path;
	TempDir()
	{
		const char *base = getenv("TMPDIR");
		std::string tmpl = std::string(base && *base ? base : "/tmp") + "/hermes-debug-XXXXXX";
		std::vector<char> buf(tmpl.begin(), tmpl.end());
		buf.push_back('\0');
		if (mkdtemp(buf.data()))
			path = buf.data();
	}
	~TempDir()
	{
		if (!path.empty())
			(void)!system(("rm -rf '" + path + "'").c_str());
	}
	std::string file(const std::string &name) const { return path + "/" + name; }
};

// Assemble text into a program; fails the test on an assembler error.
inline hermes_prog *assemble(const char *text)
{
	hermes_insn *code = nullptr;
	size_t n = 0;
	hermes_asm_error e{};
	hermes_prog *prog = nullptr;

	if (hermes_asm(text, &code, &n, &e)) {
		ADD_FAILURE() << "asm line " << e.line << ": " << e.msg << "\n" << text;
		return nullptr;
	}
	if (hermes_prog_from_bytecode(code, n * 8, &prog))
		ADD_FAILURE() << hermes_dev_errmsg(nullptr);
	free(code);
	return prog;
}

// A run with every retire record it produced and the state at its end.
struct TracedRun {
	int err = -1;
	std::string errmsg;
	hermes_run_result res{};
	hermes_itrace_state state{};
	std::vector<hermes_itrace_rec> recs;
	uint64_t end_clock = 0; // sim: hermes_sim_cycles() before the device closed
};

// Clocks the simulated card behind dev has run (0 for other devices).
inline uint64_t debug_sim_cycles(hermes_dev *dev)
{
	hermes_sim *sim = hermes__dev_sim(dev);
	return sim ? hermes_sim_cycles(sim) : 0;
}

inline void collect(void *ctx, const hermes_itrace_rec *rec)
{
	static_cast<TracedRun *>(ctx)->recs.push_back(*rec);
}

// Open uri, run prog once with an instruction trace, close.
inline TracedRun traced_run(const std::string &uri, const hermes_prog *prog, uint64_t max_insns = 0,
			    const void *in = nullptr, size_t in_len = 0)
{
	TracedRun t;
	hermes_dev *dev = nullptr;
	hermes_run_opts opts{};

	opts.sz = sizeof(opts);
	opts.engine = -1;
	opts.max_insns = max_insns;
	if (hermes_dev_open(uri.c_str(), &dev)) {
		t.errmsg = hermes_dev_errmsg(nullptr);
		return t;
	}
	t.err = hermes_itrace_run(dev, prog, in, in_len, nullptr, 0, &opts, &t.res, collect, &t, &t.state);
	if (t.err)
		t.errmsg = hermes_dev_errmsg(dev);
	t.end_clock = debug_sim_cycles(dev);
	hermes_dev_close(dev);
	return t;
}

// A VCD file (fst2vcd's output): variables by full name, value changes.
struct Vcd {
	struct Var {
		std::string code;
		unsigned width = 0;
	};
	std::map<std::string, Var> vars;                                   // "scope.scope.name"
	std::vector<uint64_t> times;                                        // every timestamp
	std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes; // code -> (t, bits)

	// Value of a variable (binary digits) at time t: its last change at or before t.
	std::string at(const std::string &name, uint64_t t) const
	{
		auto v = vars.find(name);
		if (v == vars.end())
			return "";
		auto c = changes.find(v->second.code);
		std::string val = "x";
		if (c == changes.end())
			return val;
		for (const auto &p : c->second) {
			if (p.first > t)
				break;
			val = p.second;
		}
		return val;
	}
};

// Convert an FST with fst2vcd and parse it; returns "" or what went wrong.
inline std::string load_fst(const std::string &fst, Vcd &vcd)
{
	std::string cmd = "fst2vcd '" + fst + "' 2>&1";
	FILE *p = popen(cmd.c_str(), "r");
	std::vector<std::string> scope;
	bool header = true;
	uint64_t now = 0;
	char line[8192];

	if (!p)
		return "cannot run fst2vcd";
	while (fgets(line, sizeof(line), p)) {
		std::string l(line);
		while (!l.empty() && (l.back() == '\n' || l.back() == '\r'))
			l.pop_back();
		if (header) {
			char kind[64], name[1024], code[64];
			unsigned w;
			if (sscanf(l.c_str(), "$scope %63s %1023s $end", kind, name) == 2) {
				scope.push_back(name);
			} else if (l.rfind("$upscope", 0) == 0) {
				if (!scope.empty())
					scope.pop_back();
			} else if (sscanf(l.c_str(), "$var %63s %u %63s %1023s", kind, &w, code, name) == 4) {
				std::string full;
				for (const auto &s : scope)
					full += s + ".";
				vcd.vars[full + name] = { code, w };
			} else if (l.rfind("$enddefinitions", 0) == 0) {
				header = false;
			}
			continue;
		}
		if (l.empty() || l[0] == '$')
			continue;
		if (l[0] == '#') {
			now = strtoull(l.c_str() + 1, nullptr, 10);
			vcd.times.push_back(now);
		} else if (l[0] == 'b' || l[0] == 'r') {
			size_t sp = l.find(' ');
			if (sp != std::string::npos)
				vcd.changes[l.substr(sp + 1)].push_back({ now, l.substr(1, sp - 1) });
		} else {
			vcd.changes[l.substr(1)].push_back({ now, l.substr(0, 1) });
		}
	}
	int st = pclose(p);
	if (st != 0)
		return "fst2vcd '" + fst + "' failed (status " + std::to_string(st) +
		       "; it comes with the Debian package gtkwave: make deps)";
	if (vcd.vars.empty())
		return "fst2vcd printed no variables for '" + fst + "'";
	return "";
}

// Bit b of a VCD binary value ("b0101" without the b; LSB last).
inline int vcd_bit(const std::string &bits, unsigned b)
{
	if (b >= bits.size())
		return 0;
	char c = bits[bits.size() - 1 - b];
	return c == '1' ? 1 : c == '0' ? 0 : -1;
}

#endif
