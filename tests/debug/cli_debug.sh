#!/bin/sh
# cli_debug.sh HERMES SRCDIR [trace|notrace] - the debugging options of `hermes run` as a
# user types them: fault reports for every cause `hermes run` can produce
# (7, aborted by host, has no CLI path: test_fault_report covers it), in
# text and --json, on sim and ref; --itrace; --trace, --trace-window and
# $HERMES_TRACE; option errors; and that itrace_corpus.sh catches a
# divergence. Prints every command and its output; stops at the first
# failure.
set -u
hermes=$1 src=$2 traced=${3:-trace}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# expect NAME STATUS REGEX -- CMD...: exit status and an ERE on stdout+stderr.
expect() {
  name=$1 want=$2 regex=$3
  shift 4
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" -ne "$want" ] || ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
    echo "FAIL $name: \`$*\` exited $got (want $want); output must match /$regex/:"
    printf '%s\n' "$out" | sed 's/^/  | /'
    fails=$((fails + 1))
  else
    echo "ok $name"
  fi
}

# ---- fault reports: one program per cause ------------------------------------
prog() { printf '%b' "$2" > "$tmp/$1.s"; }
prog c1 'mov %r3, 0x1234\nlddw %r6, 0x20100000\nldxdw %r0, [%r6+0]\nexit\n'
prog c2 'mov %r3, 0x1234\nstxdw [%r1-8], %r3\nexit\n'
prog c3 'mov %r3, 0x1234\nja +5\nexit\n'
prog c4 'mov %r3, 0x1234\n.quad 0x00000000000000ff\nexit\n'
prog c5 'mov %r3, 0x1234\nloop:\nadd %r3, 1\nja loop\n'
prog c6 'mov %r3, 0x1234\nf:\nadd %r3, 1\ncall local f\nexit\n'
prog c8 'mov %r3, 0x1234\ncall 4\nexit\n'

for dev in sim ref; do
  expect "$dev.cause1" 1 'address 0x20100000: data slot \+ 0x100000, past its end' -- "$hermes" -d $dev run "$tmp/c1.s"
  expect "$dev.cause1.words" 1 '^fault   load out of bounds \(cause 1\)$' -- "$hermes" -d $dev run "$tmp/c1.s"
  expect "$dev.cause1.marked" 1 '^  =>      3  ldxdw %r0, \[%r6\]$' -- "$hermes" -d $dev run "$tmp/c1.s"
  expect "$dev.cause1.before" 1 '^          1  lddw %r6, 0x20100000$' -- "$hermes" -d $dev run "$tmp/c1.s"
  expect "$dev.cause1.regs" 1 'r3  0x0000000000001234$' -- "$hermes" -d $dev run "$tmp/c1.s"
  expect "$dev.cause1.r6" 1 'r6  0x0000000020100000' -- "$hermes" -d $dev run "$tmp/c1.s"
  expect "$dev.cause2" 1 'address 0x1ffffff8: 0x8 bytes below the data slot' -- "$hermes" -d $dev run "$tmp/c2.s"
  expect "$dev.cause2.marked" 1 '=>      1  stxdw \[%r1-8\], %r3' -- "$hermes" -d $dev run "$tmp/c2.s"
  expect "$dev.cause3" 1 'at      pc 1: ja \+5' -- "$hermes" -d $dev run "$tmp/c3.s"
  expect "$dev.cause3.addr" 1 'address 0x10000038: instruction 7 ' -- "$hermes" -d $dev run "$tmp/c3.s"
  expect "$dev.cause4" 1 '^fault   illegal instruction \(cause 4\)' -- "$hermes" -d $dev run "$tmp/c4.s"
  expect "$dev.cause4.marked" 1 '=>      1  \.quad 0x00000000000000ff' -- "$hermes" -d $dev run "$tmp/c4.s"
  expect "$dev.cause5" 1 'at      pc 2 \(next, not executed\): ja -2' -- "$hermes" -d $dev run "$tmp/c5.s" --max-insns 10
  expect "$dev.cause5.regs" 1 'r3  0x0000000000001239' -- "$hermes" -d $dev run "$tmp/c5.s" --max-insns 10
  expect "$dev.cause6" 1 'call depth 7' -- "$hermes" -d $dev run "$tmp/c6.s"
  expect "$dev.cause6.words" 1 'fault   call depth exceeded \(cause 6\)' -- "$hermes" -d $dev run "$tmp/c6.s"
  expect "$dev.cause6.r10" 1 'r10 0x0000000030001000$' -- "$hermes" -d $dev run "$tmp/c6.s"
  expect "$dev.cause8" 1 'address 0x4: helper id 4' -- "$hermes" -d $dev run "$tmp/c8.s"
  expect "$dev.cause8.words" 1 'fault   unknown helper \(cause 8\)' -- "$hermes" -d $dev run "$tmp/c8.s"
  # The existing result lines stay as they were, before the report.
  expect "$dev.result_lines" 1 'cause   1 \(load out of bounds\)' -- "$hermes" -d $dev run "$tmp/c1.s"
  # --json: one object, the report in "fault".
  expect "$dev.json" 1 '^\{"status": 5, .*"cause": 1, .*"fault": \{"cause": 1, "cause_name": "load out of bounds", "pc": 3, "executed": true, "insn": "ldxdw %r0, \[%r6\]", "addr": 537919488, .*"r3": "0x0000000000001234".*\}\}$' \
    -- "$hermes" -d $dev run "$tmp/c1.s" --json
  expect "$dev.json.cause5" 1 '"fault": \{"cause": 5, .*"executed": false' -- "$hermes" -d $dev run "$tmp/c5.s" --max-insns 10 --json
  expect "$dev.json.cause8" 1 '"fault": \{"cause": 8, .*"addr_info": "helper id 4' -- "$hermes" -d $dev run "$tmp/c8.s" --json
done
expect sim.regs_source 1 'registers from the RTL retire stream; the last instruction retired at clock [0-9]+: waveform around it with --trace run.fst --trace-window [0-9]+:[0-9]+' -- "$hermes" -d sim run "$tmp/c1.s"
expect ref.regs_source 1 'registers from the reference VM' -- "$hermes" -d ref run "$tmp/c1.s"
printf 'hello, hermes!' > "$tmp/hello.txt"
expect example_report 1 '^  =>     11  ldxdw %r7, \[%r6\]$' -- "$hermes" -d sim run "$src/docs/waves/sum_fault.s" --data "$tmp/hello.txt"
expect example_sum 1 'r0  0x0000000000000505' -- "$hermes" -d sim run "$src/docs/waves/sum_fault.s" --data "$tmp/hello.txt"

# ---- --itrace ------------------------------------------------------------------
printf 'mov %%r0, 5\nldxdw %%r2, [%%r1+8]\nadd %%r0, %%r2\nstxdw [%%r10-8], %%r0\nexit\n' > "$tmp/t.s"
printf 'abcdefgh\007\000\000\000\000\000\000\000' > "$tmp/in.bin"
expect itrace.header 0 '^#     clock eng     pc  instruction +effect$' -- "$hermes" -d sim run "$tmp/t.s" --itrace
expect itrace.sim_load 0 '^ +[0-9]+   0      1  ldxdw %r2, \[%r1\+8\] +r2=0x7  load\.8 \[0x20000008\] = 0x7$' -- "$hermes" -d sim run "$tmp/t.s" --data "$tmp/in.bin" --itrace
expect itrace.ref_load 0 '^ +-   0      1  ldxdw %r2, \[%r1\+8\] +r2=0x7  load\.8 \[0x20000008\] = 0x7$' -- "$hermes" -d ref run "$tmp/t.s" --data "$tmp/in.bin" --itrace
expect itrace.store 0 '3  stxdw \[%r10-8\], %r0 +store\.8 \[0x300001f8\] = 0xc$' -- "$hermes" -d sim run "$tmp/t.s" --data "$tmp/in.bin" --itrace
expect itrace.exit 0 '      4  exit$' -- "$hermes" -d sim run "$tmp/t.s" --itrace
expect itrace.result 0 '^r0      0xc \(12\)$' -- "$hermes" -d sim run "$tmp/t.s" --data "$tmp/in.bin" --itrace
expect itrace.noclock 0 '^# eng     pc  instruction' -- "$hermes" -d sim run "$tmp/t.s" --itrace=noclock
expect itrace.engine 0 '^ +[0-9]+   2      0  mov %r0, 5' -- "$hermes" -d sim run "$tmp/t.s" --itrace --engine 2
"$hermes" -d sim run "$tmp/t.s" --data "$tmp/in.bin" --itrace=noclock > "$tmp/a.txt" 2>&1
"$hermes" -d ref run "$tmp/t.s" --data "$tmp/in.bin" --itrace=noclock > "$tmp/b.txt" 2>&1
if diff "$tmp/a.txt" "$tmp/b.txt" > /dev/null && ! grep -q cycles "$tmp/a.txt" &&
   [ "$(grep -c '^ ' "$tmp/a.txt")" -eq 5 ]; then
  echo "ok itrace.diff (5 lines, no clocks, sim = ref)"
else
  echo "FAIL itrace.diff:"; diff "$tmp/a.txt" "$tmp/b.txt"; cat "$tmp/a.txt"; fails=$((fails + 1))
fi
"$hermes" -d sim run "$tmp/t.s" > "$tmp/plain.txt" 2>&1
if grep -q '^cycles  [1-9]' "$tmp/plain.txt" && ! grep -q '^#' "$tmp/plain.txt"; then
  echo "ok plain_run_unchanged"
else
  echo "FAIL plain_run_unchanged:"; cat "$tmp/plain.txt"; fails=$((fails + 1))
fi

# ---- --trace -------------------------------------------------------------------------
if [ "$traced" = notrace ]; then
  # Built with -DHERMES_TRACE_MODEL=OFF.
  expect trace.not_built 1 'needs the trace-enabled model, which this build left out' -- \
    "$hermes" run "$tmp/t.s" --trace "$tmp/w1.fst"
else
expect trace.written 0 'waveform written to .*/w1\.fst' -- "$hermes" -d sim run "$tmp/t.s" --trace "$tmp/w1.fst"
expect trace.fst2vcd 0 '^\$var wire +1 .* clk_i \$end' -- fst2vcd "$tmp/w1.fst"
expect trace.window 0 'status  0' -- "$hermes" run "$tmp/t.s" --trace "$tmp/w2.fst" --trace-window 1000:1010
first=$(fst2vcd "$tmp/w2.fst" 2>/dev/null | grep -m1 '^#')
last=$(fst2vcd "$tmp/w2.fst" 2>/dev/null | grep '^#' | tail -n 1)
if [ "$first" = "#4000" ] && [ "$last" = "#4038" ]; then
  echo "ok trace.window_times (clocks 1000-1009: $first .. $last)"
else
  echo "FAIL trace.window_times: first $first (want #4000), last $last (want #4038)"; fails=$((fails + 1))
fi
expect trace.with_sim_opts 0 'status  0' -- "$hermes" -d sim:host_latency=40 run "$tmp/t.s" --trace "$tmp/w3.fst"
[ -s "$tmp/w3.fst" ] && echo "ok trace.with_sim_opts_file" || { echo "FAIL trace.with_sim_opts_file"; fails=$((fails + 1)); }
HERMES_TRACE="$tmp/w4.fst" HERMES_TRACE_WINDOW=20:30 "$hermes" run "$tmp/t.s" > /dev/null 2>&1
if [ "$(fst2vcd "$tmp/w4.fst" 2>/dev/null | grep -m1 '^#')" = "#80" ]; then
  echo "ok trace.env (HERMES_TRACE, HERMES_TRACE_WINDOW)"
else
  echo "FAIL trace.env: $tmp/w4.fst"; fails=$((fails + 1))
fi
expect trace.env_window_only 0 'status  0' -- env HERMES_TRACE="$tmp/w5.fst" "$hermes" run "$tmp/t.s" --trace-window 30:40
[ "$(fst2vcd "$tmp/w5.fst" 2>/dev/null | grep -m1 '^#')" = "#120" ] && echo "ok trace.env_path_cli_window" ||
  { echo "FAIL trace.env_path_cli_window"; fails=$((fails + 1)); }

fi

# ---- option errors ---------------------------------------------------------------------
expect err.trace_ref 2 'need the simulated card \(-d sim\), not .ref.' -- "$hermes" -d ref run "$tmp/t.s" --trace "$tmp/x.fst"
expect err.window 2 '--trace-window needs START:END' -- "$hermes" run "$tmp/t.s" --trace "$tmp/x.fst" --trace-window 9:3
expect err.window_alone 2 '--trace-window needs --trace FILE' -- env -u HERMES_TRACE "$hermes" run "$tmp/t.s" --trace-window 1:3
expect err.itrace_json 2 'cannot be combined with --json' -- "$hermes" run "$tmp/t.s" --itrace --json
expect err.itrace_value 2 "--itrace takes no value or 'noclock'" -- "$hermes" run "$tmp/t.s" --itrace=foo
[ "$traced" = notrace ] ||
  expect err.trace_dir 1 'cannot write trace file' -- "$hermes" run "$tmp/t.s" --trace "$tmp/no/such/x.fst"

# ---- the corpus diff notices a divergence --------------------------------------------
cat > "$tmp/fake-hermes" <<EOF
#!/bin/sh
# hermes, but the RTL's third instruction writes a different r0.
case "\$2" in sim|sim:*) "$hermes" "\$@" | sed '3s/r0=0xc\$/r0=0xd/';; *) exec "$hermes" "\$@";; esac
EOF
chmod +x "$tmp/fake-hermes"
expect corpus_diff_catches 1 '^FAIL alu64-add-imm: sim \(exit 0\) and ref \(exit 0\) traces differ' -- \
  "$src/tests/debug/itrace_corpus.sh" "$tmp/fake-hermes" "$src/tests/conformance" "$src/tests/conformance/alu64-add-imm.data"
expect corpus_diff_shows 1 '^\+ +0 +1  add %r0, 7 +r0=0xd$' -- \
  "$src/tests/debug/itrace_corpus.sh" "$tmp/fake-hermes" "$src/tests/conformance" "$src/tests/conformance/alu64-add-imm.data"

echo "cli_debug: $fails failed"
[ "$fails" -eq 0 ]
