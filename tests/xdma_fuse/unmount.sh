#!/usr/bin/env bash
# unmount.sh XDMA_FUSE HERMES PROG DMA_LOOP
#
# xdma-fuse unmounted while in use (docs/XDMA.md "Unmounting in use"):
#  1. fusermount3 -u with clients holding descriptors (one blocked in an
#     events read, one in a DMA loop) is refused (busy); nothing changes.
#  2. fusermount3 -u -z detaches the mount at once: new opens fail, the
#     clients that hold descriptors go on working, and a fresh server can
#     mount on the same directory and runs PROG.
#  3. SIGTERM to the detached server while its clients still wait: it exits
#     0 (no crash, no core) without touching the fresh mount; its blocked
#     reader and its DMA loop end with an error (ENOTCONN or the like)
#     instead of hanging.
#  4. A detached server whose last client closes exits 0 by itself.
# Exit 77 only where /dev/fuse is missing or mounting is not permitted.
set -u
shim=$1 hermes=$2 prog=$3 dmaloop_bin=$4
if [[ ! -c /dev/fuse ]]; then
  echo "SKIP: /dev/fuse is missing"
  exit 77
fi
. "$(dirname "$0")/server_lib.sh"
make_work umount
mounted() { grep -q " $mnt " /proc/mounts; }
# Clients on the current mount: a holder of the user node, a reader blocked
# on events_15 (no engine raises it), a C2H DMA loop (DMA_LOOP; reads, so
# that no free slot gets dirty and slow to hand out).
start_clients() {
  sleep 600 <"$mnt/xdma0_user" &
  holder=$!
  dd if="$mnt/xdma0_events_15" of=/dev/null bs=4 count=1 2>"$work/reader$1.err" &
  reader=$!
  "$dmaloop_bin" "$mnt/xdma0_c2h_0" read $((2 << 20)) 2>"$work/dma$1.err" &
  dmaloop=$!
  kids+=("$holder" "$reader" "$dmaloop")
  sleep 0.5
  kill -0 "$reader" 2>/dev/null || fail "the events read returned without an interrupt"
  kill -0 "$dmaloop" 2>/dev/null || fail "the DMA loop ended at once: $(cat "$work/dma$1.err")"
}
# wait_status PID: its exit status (it must end within 10 s).
wait_status() {
  gone_within "$1" 10 || fail "process $1 still runs 10 s after its server left"
  wait "$1"
}

# 1. A plain unmount while busy is refused.
start_server 1
s1=$spid
start_clients 1
if fusermount3 -u "$mnt" 2>"$work/fm.err"; then fail "fusermount3 -u succeeded with open descriptors"; fi
echo "ok: fusermount3 -u refused: $(cat "$work/fm.err")"
mounted || fail "the mount went away after the refused unmount"
kill -0 "$s1" || fail "the server died on the refused unmount"
"$hermes" -d "xdma:$mnt/xdma0" run "$prog" | grep -q "r0 *0x7 " || fail "a run (beside the DMA loop) after the refused unmount"

# 2. Lazy unmount: detached at once, the clients go on.
fusermount3 -u -z "$mnt" || fail "fusermount3 -u -z"
mounted && fail "still mounted after fusermount3 -u -z"
[[ -e $mnt/xdma0_user ]] && fail "the nodes are still reachable by name after the lazy unmount"
kill -0 "$s1" || fail "the detached server exited while clients hold descriptors"
sleep 0.5
kill -0 "$dmaloop" || fail "the DMA loop of a detached mount failed: $(cat "$work/dma1.err")"
echo "ok: lazy unmount detached the mount, its clients still work"
old_holder=$holder old_reader=$reader old_dma=$dmaloop

start_server 2
s2=$spid
"$hermes" -d "xdma:$mnt/xdma0" run "$prog" | grep -q "r0 *0x7 " || fail "a run on the fresh mount"
echo "ok: a fresh server mounted on the same directory"

# 3. SIGTERM to the detached server while its clients wait.
kill -TERM "$s1"
gone_within "$s1" 10 || fail "the detached server still runs 10 s after SIGTERM"
wait "$s1"
rc=$?
[[ $rc -eq 0 ]] || fail "the detached server exited with $rc after SIGTERM"
wait_status "$old_reader"
rrc=$?
wait_status "$old_dma"
drc=$?
[[ $rrc -ne 0 ]] || fail "the blocked events reader ended with success, not an error"
[[ $drc -eq 8 ]] || fail "the DMA loop ended with $drc (want 8: a failed transfer)"
echo "ok: detached server exited 0 on SIGTERM; reader: $(tr '\n' ' ' <"$work/reader1.err")"
echo "ok: DMA loop: $(tr '\n' ' ' <"$work/dma1.err")"
kill "$old_holder" 2>/dev/null
grep "writing device" "$work/server1.log" && fail "the server wrote to its FUSE channel after closing it"
mounted || fail "the exiting detached server unmounted the fresh mount"
"$hermes" -d "xdma:$mnt/xdma0" info | grep -qE "engines +4" || fail "the fresh mount after the old server left"
echo "ok: the fresh mount is untouched"

# 4. Detached server whose clients all go: it exits 0 by itself.
start_clients 2
fusermount3 -u -z "$mnt" || fail "fusermount3 -u -z (second server)"
kill -0 "$s2" || fail "the second server exited while clients hold descriptors"
kill -KILL "$holder" "$reader" "$dmaloop"
gone_within "$s2" 10 || fail "the detached server still runs 10 s after its last client left"
wait "$s2"
rc=$?
[[ $rc -eq 0 ]] || fail "the detached server exited with $rc after its last client left"
echo "ok: a detached server exits 0 once its last client is gone"

# And a fresh mount works again.
start_server 3
"$hermes" -d "xdma:$mnt/xdma0" run "$prog" | grep -q "r0 *0x7 " || fail "a run on the third mount"
kill -TERM "$spid"
gone_within "$spid" 10 || fail "the third server still runs after SIGTERM"
wait "$spid" || fail "the third server exited with $?"
mounted && fail "still mounted after the third server's SIGTERM"
echo "ok: unmount under use"
exit 0
