#!/bin/sh
# demo.sh BUILD - what `make demo` shows: the simulated card's identity,
# read over BAR0 from the Verilator model.
set -e
build=${1:-build}
echo "== hermes info (simulated card, BAR0 read through AXI-Lite on the Verilator model)"
"$build/hermes" -d sim info
