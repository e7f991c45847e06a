/* SPDX-License-Identifier: MIT */
/* cli_maps.h - maps in the CLI: hex keys and values, dumps as JSON or a table (cli_maps.c). */
#ifndef HERMES_CLI_MAPS_H
#define HERMES_CLI_MAPS_H

#include <stdint.h>
#include <stdio.h>

#include "hermes/hermes.h"

/* Parse hex (two digits a byte, no 0x) of exactly len bytes into out; 0 or -1. */
int cli_hex_parse(const char *s, void *out, size_t len);
/* Print len bytes as lowercase hex. */
void cli_hex_print(FILE *f, const void *buf, size_t len);

/* The map named s (or its index as a decimal number); -1 when none. */
int cli_map_find(const struct hermes_obj *obj, const char *s);

/* "maps": {NAME: [{"key": HEX, "value": HEX} | {"key": HEX, "values": [HEX per engine]}], ...}. */
int cli_maps_json(FILE *f, struct hermes_obj *obj);
/* The entries of one map as a JSON array. */
int cli_map_json(FILE *f, struct hermes_obj *obj, unsigned map);
/* One map as a table: a header line, then "KEY  VALUE" rows. */
int cli_map_table(FILE *f, struct hermes_obj *obj, unsigned map);
/* Every map as tables. */
int cli_maps_table(FILE *f, struct hermes_obj *obj);

/* Does the program call trace_printk (helper 6)? Its lines need a loaded object. */
int cli_prog_traces(const struct hermes_prog *prog);

/* Words for a map type ("array", "hash", "percpu_array"). */
const char *cli_map_type_str(uint32_t type);

#endif
