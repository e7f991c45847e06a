#!/bin/sh
# deps.sh PKG... - make sure the Debian packages are installed.
# As root, installs the missing ones with apt-get; otherwise prints the
# exact command to run and fails.
missing=""
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: run this as root, then try again:"
  echo "  sudo apt-get update && sudo apt-get install -y$missing"
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update && apt-get install -y --no-install-recommends $missing
