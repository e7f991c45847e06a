#!/usr/bin/env bash
# options.sh XDMA_FUSE HERMES
#
# xdma-fuse's own options in both spellings, --opt VALUE and --opt=VALUE,
# mean the same (fuse_opt alone took "--name=foo" as the name "=foo");
# bad values are refused with their reason before anything is mounted.
# Exit 77 only where /dev/fuse is missing or mounting is not permitted.
set -u
shim=$1 hermes=$2
if [[ ! -c /dev/fuse ]]; then
  echo "SKIP: /dev/fuse is missing"
  exit 77
fi
. "$(dirname "$0")/server_lib.sh"
make_work opts

# refused VALUE... -- STATUS REGEX: xdma-fuse with those options exits STATUS saying REGEX.
refused() {
  local args=() status regex out rc
  while [[ $1 != -- ]]; do args+=("$1"); shift; done
  status=$2 regex=$3
  out=$(timeout 10 "$shim" "$mnt" -f "${args[@]}" 2>&1)
  rc=$?
  [[ $rc -eq $status ]] || fail "xdma-fuse ${args[*]}: exit $rc, want $status ($out)"
  grep -qE -e "$regex" <<<"$out" || fail "xdma-fuse ${args[*]}: said '$out', want /$regex/"
  grep -q " $mnt " /proc/mounts && fail "xdma-fuse ${args[*]}: left a mount"
  echo "ok: ${args[*]}: $out"
}
refused --name= -- 2 "bad --name ''"
refused --name=a/b -- 2 "bad --name 'a/b'"
refused --chunk=5000000 -- 2 "--chunk 5000000: at most 1000000"
refused --chunk 5000000 -- 2 "--chunk 5000000: at most 1000000"
refused --sim=bogus=1 -- 1 "unknown sim option 'bogus'"
refused --sim bogus=1 -- 1 "unknown sim option 'bogus'"

# serve N ARGS...: a server with ARGS whose nodes are named foo_*; a run through them.
serve() {
  local n=$1
  shift
  "$shim" "$mnt" -f "$@" 2>"$work/server$n.log" &
  spid=$!
  servers+=("$spid")
  for ((i = 0; i < 400; i++)); do [[ -e $mnt/foo_user ]] && break; sleep 0.05; done
  [[ -e $mnt/foo_user ]] || fail "no $mnt/foo_user with $*: $(ls "$mnt")"
  "$hermes" -d "xdma:$mnt/foo" info | grep -qE "engines +4" || fail "hermes info through $*"
  kill -TERM "$spid"
  gone_within "$spid" 10 || fail "the server with $* still runs after SIGTERM"
  wait "$spid" || fail "the server with $* exited with $?"
  echo "ok: $*: nodes foo_*, info through them, exit 0"
}
serve 1 --name=foo --chunk=100 --sim=cost=zero
serve 2 --name foo --chunk 100 --sim cost=zero
exit 0
