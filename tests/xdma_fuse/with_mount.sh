#!/usr/bin/env bash
# with_mount.sh XDMA_FUSE CMD [ARGS...]
#
# Mounts xdma-fuse (foreground, as a child of this script) on a fresh
# directory, runs CMD with these words replaced in ARGS:
#   @DEV@     xdma:MNT/xdma0 (a libhermes device URI)
#   @PREFIX@  MNT/xdma0      (the node prefix)
#   @MNT@     MNT
# and HERMES_DEVICE / HERMES_XDMA exported likewise (XDMA_FUSE_PID: the
# server's pid), then stops the server
# with SIGTERM and checks that it exited 0 and unmounted. The result is
# CMD's exit status, or 1 if the server misbehaved.
#
# Exit 77 (ctest: skipped) with the reason only when /dev/fuse is missing
# or mounting is not permitted here. XDMA_FUSE_ARGS adds server options.
set -u
shim=$1
shift
if [[ ! -c /dev/fuse ]]; then
  echo "SKIP: /dev/fuse is missing (no FUSE in this kernel or container)"
  exit 77
fi
mnt=$(mktemp -d "${TMPDIR:-/tmp}/xdma-fuse.XXXXXX") || exit 1
log=$mnt.log
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  fi
  if grep -q " $mnt " /proc/mounts 2>/dev/null; then
    fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
  fi
  rmdir "$mnt" 2>/dev/null
  rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086
"$shim" "$mnt" -f ${XDMA_FUSE_ARGS:-} 2>"$log" &
pid=$!
for ((i = 0; i < 400; i++)); do
  [[ -e $mnt/xdma0_user ]] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    rc=$?
    pid=
    if [[ $rc -eq 3 ]]; then
      echo "SKIP: cannot mount xdma-fuse here (not permitted?): $(tr '\n' ' ' <"$log")"
      exit 77
    fi
    echo "FAIL: xdma-fuse exited with status $rc before mounting:"
    cat "$log"
    exit 1
  fi
  sleep 0.05
done
if [[ ! -e $mnt/xdma0_user ]]; then
  echo "FAIL: xdma-fuse did not mount within 20 s"
  cat "$log"
  exit 1
fi

export HERMES_DEVICE="xdma:$mnt/xdma0" HERMES_XDMA="$mnt/xdma0" XDMA_FUSE_PID="$pid"
args=()
for a in "$@"; do
  a=${a//@DEV@/xdma:$mnt/xdma0}
  a=${a//@PREFIX@/$mnt/xdma0}
  a=${a//@MNT@/$mnt}
  args+=("$a")
done
"${args[@]}"
rc=$?

kill -TERM "$pid"
wait "$pid"
src=$?
pid=
if [[ $src -ne 0 ]]; then
  echo "FAIL: xdma-fuse exited with status $src after SIGTERM:"
  cat "$log"
  rc=1
elif grep -q " $mnt " /proc/mounts; then
  echo "FAIL: $mnt is still mounted after SIGTERM"
  rc=1
fi
if [[ $rc -ne 0 && -s $log ]]; then
  echo "--- xdma-fuse log"
  cat "$log"
fi
exit $rc
