# server_lib.sh - sourced by the xdma-fuse shell tests that start their own
# servers (unmount.sh, abort.sh). The caller sets shim (the server binary)
# and calls make_work first.

# make_work NAME: $work (a scratch directory) with the mount point $mnt in
# it, and the arrays servers and kids (pids); at exit each of those is
# killed, the mount detached and $work removed.
make_work() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/xdma-fuse-$1.XXXXXX") || exit 1
  mnt=$work/mnt
  mkdir "$mnt"
  servers=() kids=()
  trap cleanup EXIT
}
cleanup() {
  for p in "${kids[@]}" "${servers[@]}"; do kill -KILL "$p" 2>/dev/null; done
  while grep -q " $mnt " /proc/mounts; do fusermount3 -u -z "$mnt" 2>/dev/null || umount -l "$mnt" || break; done
  rm -rf "$work"
}

# fail MSG: print MSG and every server's log, exit 1.
fail() {
  echo "FAIL: $*"
  for f in "$work"/server*.log; do [[ -s $f ]] && { echo "--- $f"; cat "$f"; }; done
  exit 1
}
# gone_within PID SECONDS: 0 once PID has exited, 1 if it still runs then.
gone_within() {
  for ((i = 0; i < $2 * 20; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done
  return 1
}
# start_server N: a foreground server on $mnt, its log server$N.log, its pid in $spid.
start_server() {
  "$shim" "$mnt" -f 2>"$work/server$1.log" &
  spid=$!
  servers+=("$spid")
  for ((i = 0; i < 400; i++)); do
    [[ -e $mnt/xdma0_user ]] && return 0
    if ! kill -0 "$spid" 2>/dev/null; then
      wait "$spid"
      [[ $? -eq 3 ]] && { echo "SKIP: cannot mount xdma-fuse here (not permitted?)"; exit 77; }
      fail "server $1 exited before mounting"
    fi
    sleep 0.05
  done
  fail "server $1 did not mount within 20 s"
}
