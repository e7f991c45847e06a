// SPDX-License-Identifier: MIT
// Waveforms of the trace-enabled model: the FST opens with fst2vcd, holds
// every signal the GTKWave save files of docs/waves name, shows each retire
// record at the clock the instruction trace gives it, honours the clock
// window (nothing before START), and is enabled by sim:trace=, by
// $HERMES_TRACE, and not otherwise.
#include <dirent.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "debug_helpers.h"

namespace {

// A loop with loads and stores, long enough to span a few hundred clocks.
const char *const kLoop =
	"	mov %r0, 0\n"
	"	mov %r3, %r1\n"
	"	mov %r4, %r1\n"
	"	add %r4, 24\n"
	"loop:\n"
	"	ldxdw %r5, [%r3+0]\n"
	"	add %r0, %r5\n"
	"	stxdw [%r10-8], %r0\n"
	"	add %r3, 8\n"
	"	jne %r3, %r4, loop\n"
	"	exit\n";

const unsigned char kInput[24] = { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3 };

bool exists(const std::string &path)
{
	struct stat st;
	return stat(path.c_str(), &st) == 0;
}

// Signals of a .gtkw save file: (name without the [msb:lsb] suffix, width).
std::vector<std::pair<std::string, unsigned>> gtkw_signals(const std::string &path)
{
	std::vector<std::pair<std::string, unsigned>> out;
	std::ifstream f(path);
	std::string l;
	std::regex range(R"(^(.*)\[(\d+):(\d+)\]$)");

	while (std::getline(f, l)) {
		if (l.empty() || l[0] == '@' || l[0] == '[' || l[0] == '*' || l[0] == '-')
			continue;
		std::smatch m;
		if (std::regex_match(l, m, range))
			out.push_back({ m[1], (unsigned)(std::stoul(m[2]) - std::stoul(m[3]) + 1) });
		else
			out.push_back({ l, 1 });
	}
	return out;
}

std::vector<std::string> gtkw_files()
{
	std::vector<std::string> out;
	std::string dir = std::string(HERMES_SOURCE_DIR) + "/docs/waves";
	DIR *d = opendir(dir.c_str());
	while (d) {
		dirent *e = readdir(d);
		if (!e)
			break;
		std::string n = e->d_name;
		if (n.size() > 5 && n.substr(n.size() - 5) == ".gtkw")
			out.push_back(dir + "/" + n);
	}
	if (d)
		closedir(d);
	return out;
}

class Trace : public ::testing::Test {
protected:
	void SetUp() override
	{
		unsetenv("HERMES_TRACE");
		unsetenv("HERMES_TRACE_WINDOW");
		ASSERT_TRUE(hermes_sim_trace_available()) << "this build has no trace-enabled model";
		prog = assemble(kLoop);
		ASSERT_NE(prog, nullptr);
	}
	void TearDown() override { hermes_prog_free(prog); }

	TracedRun run(const std::string &uri)
	{
		TracedRun t = traced_run(uri, prog, 0, kInput, sizeof(kInput));
		EXPECT_EQ(t.err, 0) << uri << ": " << t.errmsg;
		EXPECT_EQ(t.res.status, HERMES_ST_SUCCESS);
		EXPECT_EQ(t.res.r0, 6u);
		return t;
	}

	TempDir tmp;
	hermes_prog *prog = nullptr;
};

TEST_F(Trace, FstOpensWithFst2vcdAndHoldsTheSaveFilesSignals)
{
	std::string fst = tmp.file("run.fst");
	TracedRun t = run("sim:trace=" + fst);
	Vcd vcd;

	ASSERT_EQ(load_fst(fst, vcd), "");
	printf("%zu variables, %zu timestamps, %zu retire records\n", vcd.vars.size(), vcd.times.size(),
	       t.recs.size());
	ASSERT_FALSE(vcd.times.empty());
	EXPECT_EQ(vcd.times.front(), 0u) << "no window: the trace starts at clock 0";
	// Every clock up to the last one of the run: 4c and 4c + 2.
	EXPECT_EQ(vcd.times.back(), 4 * (t.end_clock - 1) + 2);

	std::vector<std::string> files = gtkw_files();
	ASSERT_GE(files.size(), 3u) << "docs/waves/*.gtkw: engine, command registers, DMA";
	for (const auto &f : files) {
		auto sigs = gtkw_signals(f);
		EXPECT_GE(sigs.size(), 10u) << f;
		for (const auto &s : sigs) {
			auto v = vcd.vars.find(s.first);
			EXPECT_NE(v, vcd.vars.end()) << f << " names " << s.first << ", which the trace lacks";
			if (v != vcd.vars.end())
				EXPECT_EQ(v->second.width, s.second) << f << ": width of " << s.first;
		}
	}
	// The pieces a debugging session needs, by name.
	for (const char *name : { "hermes_top.clk_i", "hermes_top.rvfi_valid_o", "hermes_top.bar0_awaddr_i",
				  "hermes_top.host_rdata_i",
				  "hermes_top.hermes_top.u_card.g_engine[0].u_engine.u_id.ex_q.pc",
				  "hermes_top.hermes_top.u_card.u_ctrl.g_cmd[0].u_cmd_proc.state_q",
				  "hermes_top.hermes_top.u_xdma.g_ch[0].u_chan.status_q" })
		EXPECT_TRUE(vcd.vars.count(name)) << name;
	EXPECT_EQ(vcd.vars["hermes_top.host_rdata_i"].width, 512u) << "the 512-bit DMA data bus is traced";
}

TEST_F(Trace, EveryRetireRecordIsInTheWaveformAtItsClock)
{
	std::string fst = tmp.file("run.fst");
	TracedRun t = run("sim:trace=" + fst);
	Vcd vcd;
	unsigned engine;

	ASSERT_EQ(load_fst(fst, vcd), "");
	ASSERT_FALSE(t.recs.empty());
	engine = t.recs[0].engine;
	std::set<uint64_t> clocks;
	for (const auto &r : t.recs) {
		clocks.insert(r.clock);
		std::string valid = vcd.at("hermes_top.rvfi_valid_o", 4 * r.clock);
		EXPECT_EQ(vcd_bit(valid, r.engine), 1)
			<< "pc " << r.r.pc << " retired at clock " << r.clock << " but rvfi_valid_o is b" << valid
			<< " at " << 4 * r.clock << " ns";
		std::string pc = vcd.at("hermes_top.hermes_top.u_card.g_engine[0].u_engine.rvfi_pc_o", 4 * r.clock);
		if (r.engine == 0)
			EXPECT_EQ(strtoull(pc.c_str(), nullptr, 2), r.r.pc) << "clock " << r.clock;
	}
	// And no retire the instruction trace does not have.
	size_t shown = 0;
	for (uint64_t c = 0; c < t.end_clock; c++)
		shown += vcd_bit(vcd.at("hermes_top.rvfi_valid_o", 4 * c), engine) == 1;
	EXPECT_EQ(shown, t.recs.size());
}

TEST_F(Trace, WindowHoldsNothingBeforeStartNorFromEnd)
{
	// The clocks of an untraced run: the traced model runs the same clocks.
	TracedRun plain = run("sim");
	ASSERT_GE(plain.recs.size(), 10u);
	uint64_t a = plain.recs[2].clock, b = plain.recs[plain.recs.size() - 3].clock;
	std::string fst = tmp.file("win.fst");
	TracedRun t = run("sim:trace=" + fst + ",trace_window=" + std::to_string(a) + ":" + std::to_string(b));
	Vcd vcd;

	ASSERT_EQ(t.recs.size(), plain.recs.size());
	for (size_t i = 0; i < t.recs.size(); i++)
		EXPECT_EQ(t.recs[i].clock, plain.recs[i].clock) << "record " << i << ": tracing changed the timing";
	ASSERT_EQ(load_fst(fst, vcd), "");
	ASSERT_FALSE(vcd.times.empty());
	printf("window %llu:%llu -> timestamps %llu..%llu ns\n", (unsigned long long)a, (unsigned long long)b,
	       (unsigned long long)vcd.times.front(), (unsigned long long)vcd.times.back());
	EXPECT_EQ(vcd.times.front(), 4 * a) << "the first dump is clock START";
	EXPECT_EQ(vcd.times.back(), 4 * (b - 1) + 2) << "the last dump is clock END - 1";
	for (uint64_t time : vcd.times)
		EXPECT_TRUE(time >= 4 * a && time < 4 * b) << time;
	// Inside the window the retires are there.
	for (const auto &r : t.recs)
		if (r.clock >= a && r.clock < b)
			EXPECT_EQ(vcd_bit(vcd.at("hermes_top.rvfi_valid_o", 4 * r.clock), r.engine), 1) << r.clock;
}

TEST_F(Trace, OpenEndedWindowRunsToTheEnd)
{
	std::string fst = tmp.file("open.fst");
	TracedRun t = run("sim:trace=" + fst + ",trace_window=100:");
	Vcd vcd;

	ASSERT_EQ(load_fst(fst, vcd), "");
	EXPECT_EQ(vcd.times.front(), 400u);
	EXPECT_EQ(vcd.times.back(), 4 * (t.end_clock - 1) + 2);
}

TEST_F(Trace, EnvironmentVariablesEnableTracing)
{
	std::string fst = tmp.file("env.fst");
	Vcd vcd;

	setenv("HERMES_TRACE", fst.c_str(), 1);
	setenv("HERMES_TRACE_WINDOW", "50:60", 1);
	TracedRun t = run("sim");
	unsetenv("HERMES_TRACE");
	unsetenv("HERMES_TRACE_WINDOW");
	ASSERT_TRUE(exists(fst)) << "HERMES_TRACE=" << fst << " wrote nothing";
	ASSERT_EQ(load_fst(fst, vcd), "");
	EXPECT_EQ(vcd.times.front(), 200u);
	EXPECT_EQ(vcd.times.back(), 4 * 59u + 2);
	// The device string wins over the environment.
	std::string other = tmp.file("uri.fst");
	setenv("HERMES_TRACE", tmp.file("not-this.fst").c_str(), 1);
	run("sim:trace=" + other);
	unsetenv("HERMES_TRACE");
	EXPECT_TRUE(exists(other));
	EXPECT_FALSE(exists(tmp.file("not-this.fst")));
}

TEST_F(Trace, NoTraceWithoutBeingAsked)
{
	std::string fst = tmp.file("none.fst");
	run("sim");
	EXPECT_FALSE(exists(fst));
}

TEST_F(Trace, BadTraceOptionsAreRefusedInWords)
{
	struct {
		std::string uri, msg;
	} cases[] = {
		{ "sim:trace_window=1:2", "trace_window needs trace=FILE" },
		{ "sim:trace=" + tmp.file("a.fst") + ",trace_window=9:3", "is not START:END" },
		{ "sim:trace=" + tmp.file("a.fst") + ",trace_window=abc", "is not START:END" },
		{ "sim:trace=" + tmp.file("no/such/dir/a.fst"), "cannot write trace file" },
		{ "sim:trace=", "trace needs a file name" },
	};
	for (const auto &c : cases) {
		hermes_dev *dev = nullptr;
		int err = hermes_dev_open(c.uri.c_str(), &dev);
		std::string msg = hermes_dev_errmsg(nullptr);
		EXPECT_NE(err, 0) << c.uri;
		EXPECT_NE(msg.find(c.msg), std::string::npos) << c.uri << ": '" << msg << "'";
		if (!err)
			hermes_dev_close(dev);
	}
}

TEST(TraceWindow, Parse)
{
	uint64_t a = 7, b = 7;
	EXPECT_EQ(hermes_trace_window_parse("10:20", &a, &b), 0);
	EXPECT_EQ(a, 10u);
	EXPECT_EQ(b, 20u);
	EXPECT_EQ(hermes_trace_window_parse("0x10:", &a, &b), 0);
	EXPECT_EQ(a, 16u);
	EXPECT_EQ(b, 0u);
	EXPECT_EQ(hermes_trace_window_parse(":5", &a, &b), 0);
	EXPECT_EQ(a, 0u);
	EXPECT_EQ(b, 5u);
	for (const char *bad : { "", "5", "5:5", "6:5", "-1:5", "a:b", "1:2:3", ":", "1 :2" })
		EXPECT_EQ(hermes_trace_window_parse(bad, &a, &b), -1) << "'" << bad << "'";
}

} // namespace
