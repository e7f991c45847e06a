#!/bin/sh
# help_covers_options.sh HERMES SRCDIR - every option a command's sources
# parse (getopt_long tables and strcmp(argv[i], "--x") chains in
# host/tools) is described by `hermes help COMMAND`, which hermes(1) and the
# bash completion are generated from: an option added without help fails here.
set -eu
hermes=$1 tools=$2/host/tools
missing=0
for src in "$tools"/*.c; do
	case $(basename "$src") in
	cmd_run.c|cmd_batch.c) cmd=run ;;
	cmd_bench.c|bench_*.c) cmd=bench ;;
	cmd_conformance_plugin.c) cmd=conformance-plugin ;;
	cmd_*.c) cmd=$(basename "$src" .c | sed 's/^cmd_//') ;;
	*) continue ;;
	esac
	opts=$( { grep -oE '\{ "[a-z][a-z0-9-]*", (no|required|optional)_argument' "$src" | sed -E 's/\{ "([^"]*)".*/--\1/'
		  grep -oE 'strcmp\(argv\[i\], "--?[a-z][a-z0-9-]*"\)' "$src" | sed -E 's/.*"(--?[^"]*)".*/\1/'; } |
		grep -vxE -- '-h|--help' | sort -u)
	help=$("$hermes" help "$cmd")
	for o in $opts; do
		if ! printf '%s\n' "$help" | grep -qE -- "(^|[ ,[])$o([] =,[]|$)"; then
			echo "hermes help $cmd does not describe $o (parsed in $(basename "$src"))"
			missing=1
		fi
	done
done
[ $missing -eq 0 ] || exit 1
echo "every option of every command is in its help"
