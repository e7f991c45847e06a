#!/usr/bin/env bash
# signals.sh XDMA_FUSE HERMES
#
# xdma-fuse ends cleanly on signals: in the background (daemonized, pid
# file) SIGTERM unmounts and removes the pid file; in the foreground SIGINT
# does the same while a client is blocked in a read of an events node, and
# that client gets an error instead of hanging. Exit 77 only when FUSE is
# unavailable.
set -u
shim=$1 hermes=$2
if [[ ! -c /dev/fuse ]]; then
  echo "SKIP: /dev/fuse is missing"
  exit 77
fi
mnt=$(mktemp -d "${TMPDIR:-/tmp}/xdma-fuse-sig.XXXXXX") || exit 1
pidf=$mnt.pid
fail() { echo "FAIL: $*"; exit 1; }
cleanup() {
  if [[ -s $pidf ]]; then kill -TERM "$(cat "$pidf")" 2>/dev/null; fi
  if grep -q " $mnt " /proc/mounts; then fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt"; fi
  rmdir "$mnt" 2>/dev/null
  rm -f "$pidf"
}
trap cleanup EXIT
mounted() { grep -q " $mnt " /proc/mounts; }
wait_gone() { # pid seconds
  for ((i = 0; i < $2 * 20; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  return 1
}

# 1. Background: returns once mounted, pid file names the server.
"$shim" "$mnt" --pid-file "$pidf"
rc=$?
[[ $rc -eq 3 ]] && { echo "SKIP: cannot mount xdma-fuse here (not permitted?)"; exit 77; }
[[ $rc -eq 0 ]] || fail "xdma-fuse (background) exited with $rc"
mounted || fail "not mounted after the background start returned"
[[ -s $pidf ]] || fail "no pid file"
spid=$(cat "$pidf")
"$hermes" -d "xdma:$mnt/xdma0" info | grep -E "engines +4" || fail "hermes info through the background server"
kill -TERM "$spid"
wait_gone "$spid" 10 || fail "server $spid still running 10 s after SIGTERM"
mounted && fail "still mounted after SIGTERM"
[[ -e $pidf ]] && fail "pid file left behind"
echo "ok: background server unmounted on SIGTERM"

# 2. Foreground, a reader blocked on events_0, then SIGINT. Job control on,
# or the shell would start the server with SIGINT ignored (which libfuse
# respects, as background jobs should).
set -m
"$shim" "$mnt" -f 2>"$mnt.log" &
spid=$!
for ((i = 0; i < 400; i++)); do [[ -e $mnt/xdma0_user ]] && break; sleep 0.05; done
[[ -e $mnt/xdma0_user ]] || fail "foreground server did not mount"
dd if="$mnt/xdma0_events_0" of=/dev/null bs=4 count=1 2>/dev/null &
rpid=$!
sleep 0.3
kill -0 "$rpid" 2>/dev/null || fail "the events read returned without an interrupt"
kill -INT "$spid"
wait "$spid"
rc=$?
[[ $rc -eq 0 ]] || { cat "$mnt.log"; fail "foreground server exited with $rc after SIGINT"; }
mounted && fail "still mounted after SIGINT"
wait_gone "$rpid" 10 || fail "the blocked events reader hangs after the server left"
wait "$rpid"
echo "ok: foreground server unmounted on SIGINT; the blocked reader ended with status $?"
rm -f "$mnt.log"
exit 0
