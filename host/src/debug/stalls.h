/* SPDX-License-Identifier: MIT */
/*
 * stalls.h - where a run's engine clocks go: the clocks in which an engine
 * retired nothing, charged to a cause read off its retire stream
 * (hermes_itrace_run() on "sim").
 *
 * A clock without a retire between two retired instructions is charged to
 * the later one, I (P1 the instruction retired before it, P2 the one
 * before that), by the first rule that holds:
 *
 *   HERMES_STALL_HELPER      I or P1 is a helper call (it waits in EX
 *                            for the helper sequencer)
 *   HERMES_STALL_DIVIDE      I is a div or mod (the divider)
 *   HERMES_STALL_ATOMIC      I is an atomic (it waits for memory's answer)
 *   HERMES_STALL_CALL_EXIT   P1 is a local call or an exit
 *   HERMES_STALL_BRANCH      P1 is a jump: a redirect (a mispredicted
 *                            conditional jump, either way)
 *   HERMES_STALL_SLOT_LOAD   I reads the register a load from the card's
 *                            slot memory (data, program or map region) P1
 *                            or P2 wrote: the load's answer
 *   HERMES_STALL_STACK_LOAD  the same for a load from the engine's stack
 *   HERMES_STALL_MUL         I reads the register a mul P1 wrote
 *   HERMES_STALL_AFTER_STORE P1 is a store (e.g. one whose value came late
 *                            writing the stack while I waits)
 *   HERMES_STALL_OTHER       none of these
 *
 * The rules are a reading of the retire stream, not the pipeline's own
 * stall signals: docs/PIPELINE.md says which hazard costs what. The clocks
 * before the first retire and after the last (the start of a run, the
 * pipeline filling, the exit reaching the run control) are counted apart.
 */
#ifndef HERMES_STALLS_H
#define HERMES_STALLS_H

#include <stdint.h>

#include "itrace.h"

#ifdef __cplusplus
extern "C" {
#endif

enum hermes_stall_cause {
	HERMES_STALL_SLOT_LOAD,
	HERMES_STALL_STACK_LOAD,
	HERMES_STALL_BRANCH,
	HERMES_STALL_CALL_EXIT,
	HERMES_STALL_MUL,
	HERMES_STALL_DIVIDE,
	HERMES_STALL_ATOMIC,
	HERMES_STALL_HELPER,
	HERMES_STALL_AFTER_STORE,
	HERMES_STALL_OTHER,
	HERMES_STALL_CAUSES
};

/* The account of one run; zero it (= {0}) before the first record. */
struct hermes_stalls {
	uint64_t insns;                         /* records taken */
	uint64_t first_clock, last_clock;       /* of the first and the last record */
	uint64_t lost[HERMES_STALL_CAUSES];     /* clocks without a retire, per cause */
	struct hermes_retire prev[2];           /* P1, P2 */
};

/*
 * Take the next retired instruction of one engine's run, in retire order
 * (records of other engines must not be mixed in). Returns 0, or -EINVAL if
 * rec has no clock (a "ref" record) or its clock is not after the previous
 * record's.
 */
int hermes_stalls_add(struct hermes_stalls *s, const struct hermes_itrace_rec *rec);

/* Clocks between the first and the last retire in which nothing retired. */
uint64_t hermes_stalls_total(const struct hermes_stalls *s);

/* A short name ("slot-load", "branch", ...), or "?" for a bad cause. */
const char *hermes_stall_name(enum hermes_stall_cause cause);

#ifdef __cplusplus
}
#endif

#endif
