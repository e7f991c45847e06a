/* SPDX-License-Identifier: MIT */
/*
 * progress.h - the progress bar of long hermes commands (run --jobs, bench).
 *
 * A bar is drawn on stderr for a person watching a terminal, and never
 * otherwise: not into a pipe or a file, and not when --json output goes to
 * the same terminal, where the two would interleave. The bar redraws itself
 * at most ten times a second; cli_progress_clear() wipes it before a line
 * of other output, the next update draws it again.
 */
#ifndef HERMES_CLI_PROGRESS_H
#define HERMES_CLI_PROGRESS_H

struct cli_progress {
	int on;           /* drawing at all (decided by cli_progress_start) */
	int drawn;        /* a bar is on the line now */
	unsigned total;   /* steps in all, 0: unknown */
	unsigned done;    /* steps done, as last reported */
	double t0, last;  /* start and last draw, seconds (monotonic) */
	const char *unit; /* what a step is, for a rate ("jobs"); NULL: elapsed time instead */
};

/* Decide whether to draw (stderr a terminal, and not --json on a terminal
 * stdout) and start the clock; nothing is drawn yet. */
void cli_progress_start(struct cli_progress *p, unsigned total, const char *unit, int json);

/* Draw "[####....] done/total  R unit/s  note", or "... done/total  S s
 * note" without a unit (a benchmark's own rates are in card time, not this
 * wall-clock one), unless the last draw was less than 0.1 s ago; note may
 * be NULL. A command draws one bar at a time: the last one started is the
 * one cli_progress_clear_active() wipes. */
void cli_progress_update(struct cli_progress *p, unsigned done, const char *note);

/* cli_progress_update(p, p->done + n, note). */
void cli_progress_add(struct cli_progress *p, unsigned n, const char *note);

/* Wipe the bar from the line (before a message); a no-op when none is drawn. */
void cli_progress_clear(struct cli_progress *p);

/* Wipe the bar of the command running now, if any (cli_fail and
 * cli_usage call it, so that an error message starts its own line). */
void cli_progress_clear_active(void);

/* Draw the final state and end the line (keep = 1), or wipe it (keep = 0). */
void cli_progress_end(struct cli_progress *p, unsigned done, const char *note, int keep);

/* Seconds on the monotonic clock. */
double cli_now_s(void);

#endif
