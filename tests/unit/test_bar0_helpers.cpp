// SPDX-License-Identifier: MIT
// card/bar0.c on a bus made up here: a card that does not answer (every
// read all ones) is reported as gone, naming the offset; a register that
// really holds 0xffffffff on a live card is read as it is; a card this
// host clocks itself is never second-guessed.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>

#include "bar0.h"
#include "card.h"
#include "dev.h"

namespace {

struct FakeBus {
	struct hermes_bus bus;
	std::map<uint32_t, uint32_t> regs; // missing: all ones
	bool dead = false;                  // every read all ones
	bool clocked = false;               // offer a clocks op (like the simulator)
	unsigned reads = 0;
};

FakeBus *fake(struct hermes_bus *bus)
{
	return reinterpret_cast<FakeBus *>(bus);
}

int fake_read32(struct hermes_bus *bus, uint32_t off, uint32_t *val)
{
	FakeBus *f = fake(bus);
	auto it = f->regs.find(off);

	f->reads++;
	*val = f->dead || it == f->regs.end() ? 0xffffffffu : it->second;
	return 0;
}

int fake_write32(struct hermes_bus *bus, uint32_t off, uint32_t val)
{
	fake(bus)->regs[off] = val;
	return 0;
}

uint64_t fake_clocks(struct hermes_bus *)
{
	return 0;
}

class Bar0Helpers : public ::testing::Test {
protected:
	void SetUp() override
	{
		memset(&dev, 0, sizeof(dev));
		ops.read32 = fake_read32;
		ops.write32 = fake_write32;
		f.bus.ops = &ops;
		f.bus.dev = &dev;
		dev.bus = &f.bus;
		f.regs[HERMES_EHVER] = HERMES_VERSION;
		f.regs[HERMES_EHCMDRES(0) + 8] = 0xffffffffu; // r0 = -1, as a program may return
	}
	void clocked()
	{
		ops.clocks = fake_clocks;
	}

	struct hermes_dev dev;
	struct hermes_bus_ops ops = {};
	FakeBus f;
};

TEST_F(Bar0Helpers, DeadCardIsAnErrorNamingTheOffset)
{
	uint32_t v = 0;

	f.dead = true;
	EXPECT_EQ(hermes__bar0_read(&dev, HERMES_EHCMDCTRL(2), &v), -ENODEV);
	EXPECT_NE(std::string(dev.errmsg).find("0x2010"), std::string::npos) << dev.errmsg;
	EXPECT_NE(std::string(dev.errmsg).find("does not answer"), std::string::npos) << dev.errmsg;
	EXPECT_EQ(f.reads, 2u) << "the offset, then the identity register";
}

TEST_F(Bar0Helpers, DeadCardOnTheIdentityRegisterItself)
{
	uint32_t v = 0;

	f.dead = true;
	EXPECT_EQ(hermes__bar0_read(&dev, HERMES_EHVER, &v), -ENODEV);
	EXPECT_NE(std::string(dev.errmsg).find("0x0000"), std::string::npos) << dev.errmsg;
	EXPECT_EQ(f.reads, 1u);
}

TEST_F(Bar0Helpers, RegisterHoldingAllOnesOnALiveCard)
{
	uint32_t v = 0;

	EXPECT_EQ(hermes__bar0_read(&dev, HERMES_EHCMDRES(0) + 8, &v), 0) << dev.errmsg;
	EXPECT_EQ(v, 0xffffffffu);
	EXPECT_EQ(f.reads, 2u);
}

TEST_F(Bar0Helpers, OtherValuesCostOneRead)
{
	uint64_t v = 0;

	f.regs[0x3008] = 7;
	f.regs[0x300c] = 1;
	EXPECT_EQ(hermes__bar0_read64(&dev, 0x3008, &v), 0);
	EXPECT_EQ(v, 0x100000007ull);
	EXPECT_EQ(f.reads, 2u);
}

TEST_F(Bar0Helpers, DeadCardFailsA64BitRead)
{
	uint64_t v = 0;

	f.dead = true;
	EXPECT_EQ(hermes__bar0_read64(&dev, 0x3008, &v), -ENODEV);
}

TEST_F(Bar0Helpers, CardClockedHereIsNotSecondGuessed)
{
	uint32_t v = 0;

	clocked();
	f.dead = true;
	EXPECT_EQ(hermes__bar0_read(&dev, HERMES_EHCMDCTRL(0), &v), 0);
	EXPECT_EQ(v, 0xffffffffu);
	EXPECT_EQ(f.reads, 1u) << "no extra read: it would cost the run card clocks";
}

TEST_F(Bar0Helpers, OpeningADeadCardSaysSo)
{
	struct hermes_info info;

	f.dead = true;
	EXPECT_EQ(hermes__card_info(&dev, &info), -ENODEV);
	EXPECT_NE(std::string(dev.errmsg).find("BAR0 read at 0x0000"), std::string::npos) << dev.errmsg;
}

} // namespace
