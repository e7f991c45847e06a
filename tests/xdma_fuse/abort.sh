#!/usr/bin/env bash
# abort.sh XDMA_FUSE HERMES PROG
#
# The FUSE connection aborted by an administrator (echo 1 >
# /sys/fs/fuse/connections/N/abort) while clients hold descriptors, one of
# them blocked in an events read (docs/XDMA.md "Unmounting in use"):
#  1. the server exits 0 and unmounts the dead mount (libfuse alone leaves
#     it behind, every access failing with ENOTCONN), saying so;
#  2. the blocked reader ends with an error instead of hanging;
#  3. a fresh server mounts on the same directory and runs PROG.
# Exit 77 only where /dev/fuse is missing, mounting is not permitted, or
# the FUSE control filesystem cannot be reached.
set -u
shim=$1 hermes=$2 prog=$3
ctl=/sys/fs/fuse/connections
if [[ ! -c /dev/fuse ]]; then
  echo "SKIP: /dev/fuse is missing"
  exit 77
fi
if ! grep -q " $ctl fusectl " /proc/mounts && ! mount -t fusectl none "$ctl" 2>/dev/null; then
  echo "SKIP: the FUSE control filesystem is not mounted on $ctl and cannot be mounted here"
  exit 77
fi
. "$(dirname "$0")/server_lib.sh"
make_work abort

start_server 1
s1=$spid
sleep 600 <"$mnt/xdma0_user" &
holder=$!
dd if="$mnt/xdma0_events_15" of=/dev/null bs=4 count=1 2>"$work/reader.err" &
reader=$!
kids+=("$holder" "$reader")
sleep 0.5
kill -0 "$reader" 2>/dev/null || fail "the events read returned without an interrupt"
conn=$(stat -c %d "$mnt") # the connection's number is the mount's device number
[[ -e $ctl/$conn/abort ]] || fail "no $ctl/$conn/abort for the mount (device $conn)"
echo 1 >"$ctl/$conn/abort" || fail "cannot write $ctl/$conn/abort"

gone_within "$s1" 10 || fail "the server still runs 10 s after its connection was aborted"
wait "$s1"
rc=$?
[[ $rc -eq 0 ]] || fail "the server exited with $rc after its connection was aborted"
grep -q " $mnt " /proc/mounts && fail "the dead mount is still there after the server exited"
grep -q "the FUSE connection was aborted; unmounted $mnt" "$work/server1.log" ||
  fail "the server did not say that it unmounted the aborted mount"
echo "ok: aborted connection: the server exited 0 and unmounted $mnt"
gone_within "$reader" 10 || fail "the blocked events reader still waits 10 s after the abort"
wait "$reader" && fail "the blocked events reader ended with success"
echo "ok: the blocked reader ended with: $(tr '\n' ' ' <"$work/reader.err")"
kill "$holder" 2>/dev/null

start_server 2
"$hermes" -d "xdma:$mnt/xdma0" run "$prog" | grep -q "r0 *0x7 " || fail "a run on the fresh mount"
kill -TERM "$spid"
gone_within "$spid" 10 || fail "the second server still runs after SIGTERM"
wait "$spid" || fail "the second server exited with $?"
grep -q " $mnt " /proc/mounts && fail "still mounted after the second server's SIGTERM"
echo "ok: a fresh server mounted on the same directory and ran the program"
exit 0
