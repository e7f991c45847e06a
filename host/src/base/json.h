/* SPDX-License-Identifier: MIT */
/* json.h - the JSON writer's one delicate part: strings. */
#ifndef HERMES_JSON_H
#define HERMES_JSON_H

#include <stdio.h>

/* Print s as a JSON string literal: quotes, backslashes and control bytes escaped. */
void hermes__json_string(FILE *f, const char *s);

#endif
