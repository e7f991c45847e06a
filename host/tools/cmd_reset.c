/* SPDX-License-Identifier: MIT */
/* cmd_reset.c - hermes reset: the card reset (EHRESET), for a card left unusable. */
#include <time.h>

#include "cli.h"
#include "hermes/regs.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int cmd_reset(const struct cli *cli, int argc, char **argv)
{
	struct hermes_dev *dev;
	uint32_t reg = 0;
	double t0;
	int rc;

	if (argc > 1)
		return cli_usage("reset", argv[1][0] == '-' ? "unknown option '%s'" : "unexpected argument '%s'",
				 argv[1]);
	if ((rc = cli_open(cli, "reset", &dev)))
		return rc;
	t0 = now_ms();
	if (hermes_dev_reset(dev)) {
		rc = cli_fail("reset", "%s", hermes_dev_errmsg(dev));
	} else {
		hermes_dev_read32(dev, HERMES_EHRESET, &reg);
		printf("reset the %s card in %.1f ms: engines and DMA stopped, every slot freed and zeroed, "
		       "interrupts cleared (reset %u since power-on)\n",
		       hermes_dev_kind(dev), now_ms() - t0, reg >> HERMES_RESET_COUNT_SHIFT);
		rc = CLI_OK;
	}
	hermes_dev_close(dev);
	return rc;
}
