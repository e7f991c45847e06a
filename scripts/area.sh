#!/bin/sh
# area.sh "RTL FILES" LABEL:TOP:PARAMS... - synthesise each module for
# Xilinx UltraScale+ (yosys synth_xilinx -family xcup) and print a table of
# LUT, LUTRAM, FF, BRAM (36 Kb equivalents), DSP and the longest logic path
# in levels (yosys ltp -noff, a timing proxy).
set -e
rtl=$1
shift
out=${AREA_OUT:-build/area}
mkdir -p "$out"
printf '%-12s %-18s %8s %8s %8s %8s %6s %8s\n' module top LUT LUTRAM FF BRAM36 DSP levels
for spec in "$@"; do
  label=${spec%%:*}; rest=${spec#*:}; top=${rest%%:*}; params=${rest#*:}
  chparams=""
  for kv in $(echo "$params" | tr ',' ' '); do
    chparams="$chparams chparam -set ${kv%%=*} ${kv#*=} $top;"
  done
  log="$out/$label.log"
  if ! yosys -q -l "$log" -p "read_verilog -sv $rtl; $chparams synth_xilinx -family xcup -top $top -flatten; tee -o $out/$label.stat stat; tee -o $out/$label.ltp ltp -noff" >/dev/null 2>&1; then
    echo "area: yosys failed for $label, see $log" >&2
    exit 1
  fi
  awk -v label="$label" -v top="$top" -v ltp="$out/$label.ltp" '
    $1 ~ /^LUT[1-6]$/ { lut += $2 }
    $1 ~ /^RAM(32|64|128|256)[XM]/ || $1 ~ /^RAM(32|64|128|256)M16$/ || $1 ~ /^SRL/ { lutram += $2 }
    $1 ~ /^FD[CPRS]E$/ { ff += $2 }
    $1 == "RAMB36E2" { bram += $2 }
    $1 == "RAMB18E2" { bram += $2 / 2 }
    $1 ~ /^DSP48E2$/ { dsp += $2 }
    END {
      levels = "?"
      while ((getline line < ltp) > 0)
        if (match(line, /Longest topological path in .* \(length=([0-9]+)\)/)) {
          sub(/.*length=/, "", line); sub(/\).*/, "", line); levels = line
        }
      printf "%-12s %-18s %8d %8d %8d %8.1f %6d %8s\n", label, top, lut, lutram, ff, bram, dsp, levels
    }' "$out/$label.stat"
done
