/* SPDX-License-Identifier: MIT */
/* progress.c - the progress bar of long hermes commands (progress.h). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BAR_WIDTH 30
#define REDRAW_S 0.1

/* The bar being drawn, for error messages to wipe (one command per process). */
static struct cli_progress *active;

double cli_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void cli_progress_start(struct cli_progress *p, unsigned total, const char *unit, int json)
{
	p->on = isatty(STDERR_FILENO) && !(json && isatty(STDOUT_FILENO));
	p->drawn = 0;
	p->total = total;
	p->done = 0;
	p->unit = unit;
	p->t0 = cli_now_s();
	p->last = 0;
	active = p->on ? p : NULL;
}

static void draw(struct cli_progress *p, unsigned done, const char *note)
{
	double el = cli_now_s() - p->t0;
	unsigned fill = p->total ? (unsigned)((double)(done > p->total ? p->total : done) / p->total * BAR_WIDTH) : 0;
	char bar[BAR_WIDTH + 1];

	for (unsigned i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\r\033[K[%s] %u/%u  ", bar, done, p->total);
	if (p->unit)
		fprintf(stderr, "%.1f %s/s", el > 0 ? done / el : 0.0, p->unit);
	else
		fprintf(stderr, "%.0f s", el);
	if (note)
		fprintf(stderr, "  %s", note);
	fflush(stderr);
	p->drawn = 1;
}

void cli_progress_update(struct cli_progress *p, unsigned done, const char *note)
{
	double t;

	p->done = done;
	if (!p->on)
		return;
	t = cli_now_s();
	if (p->drawn && t - p->last < REDRAW_S)
		return;
	p->last = t;
	draw(p, done, note);
}

void cli_progress_add(struct cli_progress *p, unsigned n, const char *note)
{
	cli_progress_update(p, p->done + n, note);
}

void cli_progress_clear(struct cli_progress *p)
{
	if (!p->on || !p->drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->drawn = 0;
}

void cli_progress_end(struct cli_progress *p, unsigned done, const char *note, int keep)
{
	if (!p->on)
		return;
	if (keep) {
		draw(p, done, note);
		fputc('\n', stderr);
		p->drawn = 0;
	} else {
		cli_progress_clear(p);
	}
	fflush(stderr);
	if (active == p)
		active = NULL;
}

void cli_progress_clear_active(void)
{
	if (active)
		cli_progress_clear(active);
}
