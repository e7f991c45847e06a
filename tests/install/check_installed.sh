#!/bin/sh
# check_installed.sh MODE BUILD SRC TMP - install Hermes and use it as a user
# outside the tree would, from the installed files only:
#   MODE=prefix  cmake --install BUILD --prefix TMP/prefix
#   MODE=deb     cpack -G DEB, then every package unpacked (dpkg-deb -x) into TMP/root
# then: the files are where they should be; run_program.c (examples/api) is
# built through pkg-config (shared and --static) and through find_package and
# run on the simulated card inside the installed libhermes, its r0 checked
# against the sum of the input's bytes computed here; the installed hermes
# runs; man pages render and name every command; libhermes.so exports exactly
# what the headers declare; the Python module imports and runs a program.
set -eu
mode=$1 build=$2 src=$3 tmp=$4
rm -rf "$tmp" && mkdir -p "$tmp"
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
arch=$(gcc -print-multiarch)

case $mode in
prefix)
	root=$tmp/prefix
	cmake --install "$build" --prefix "$root" > "$tmp/install.log"
	usr=$root
	;;
deb)
	step "cpack -G DEB"
	(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkgs" > cpack.log 2>&1) ||
		{ cat "$tmp/cpack.log"; fail "cpack"; }
	ls "$tmp/pkgs"/*.deb
	for p in libhermes0 libhermes-dev hermes-tools python3-hermes; do
		deb=$(ls "$tmp/pkgs"/${p}_*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || fail "no package $p"
		echo "$p: Depends: $(dpkg-deb -f "$deb" Depends)"
		dpkg-deb -x "$deb" "$tmp/root"
	done
	dpkg-deb -f "$tmp/pkgs"/libhermes0_*.deb Depends | grep -q libelf1 || fail "libhermes0 does not depend on libelf1"
	dpkg-deb -f "$tmp/pkgs"/libhermes-dev_*.deb Depends | grep -q "libhermes0 (=" || fail "libhermes-dev does not depend on libhermes0"
	dpkg-deb -f "$tmp/pkgs"/hermes-tools_*.deb Depends | grep -q fuse3 || fail "hermes-tools does not depend on fuse3"
	dpkg-deb -c "$tmp/pkgs"/libhermes0_*.deb > "$tmp/lib.list"
	grep -q "libhermes.so.0" "$tmp/lib.list" || fail "libhermes0 lacks libhermes.so.0"
	if grep -q "include/" "$tmp/lib.list"; then fail "headers in the runtime package"; fi
	root=$tmp/root usr=$tmp/root/usr
	;;
*) fail "mode $mode (prefix or deb)" ;;
esac

libdir=$(dirname "$(find "$usr" -name 'libhermes.so.0' | head -n 1)")
[ -d "$libdir" ] || fail "libhermes.so.0 not installed"
step "installed files under $usr"
for f in bin/hermes bin/xdma-fuse include/hermes/hermes.h include/hermes/regs.h include/hermes/isa.h \
         share/man/man1/hermes.1 share/man/man1/xdma-fuse.1 share/man/man3/libhermes.3 \
         share/bash-completion/completions/hermes lib/python3/dist-packages/hermes/__init__.py; do
	[ -e "$usr/$f" ] || fail "$f not installed"
done
for f in libhermes.so libhermes.a pkgconfig/libhermes.pc cmake/hermes/hermesConfig.cmake hermes/libhermes_sim.a; do
	[ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
[ "$(readelf -d "$libdir/libhermes.so.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')" = libhermes.so.0 ] ||
	fail "libhermes.so.0 has no SONAME libhermes.so.0"

step "libhermes.so exports exactly the functions of the public headers"
python3 "$src/scripts/check_exports.py" "$libdir/libhermes.so.0" "$usr"/include/hermes/*.h ||
	fail "the installed libhermes.so.0 exports other functions than the installed headers declare"
[ "$(nm -D --defined-only "$libdir/libhermes.so.0" | awk '$2 == "T"' | wc -l)" -gt 20 ] || fail "too few exports"

input="Hermes, installed: $(date -u +%s%N)"
want=$(printf %s "$input" | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s + 0 }')
check_run() { # LABEL BINARY [ENV...]
	label=$1 bin=$2
	shift 2
	out=$(env "$@" "$bin" sim - "$input" 2>&1) || { echo "$out"; fail "$label: run_program failed"; }
	echo "$out" | sed 's/^/   /'
	got=$(echo "$out" | sed -n 's/^r0 = \([0-9]*\).*/\1/p')
	[ "$got" = "$want" ] || fail "$label: r0 '$got', expected $want (sum of the input's bytes)"
}
cp "$usr/share/doc/hermes/examples/api/run_program.c" "$tmp/run_program.c"

step "pkg-config: shared"
# The .pc file locates the tree from its own place (${pcfiledir}): no sysroot needed.
pc="env PKG_CONFIG_PATH=$libdir/pkgconfig"
cflags=$($pc pkg-config --cflags libhermes) libs=$($pc pkg-config --libs libhermes)
echo "   cc run_program.c $cflags $libs"
cc -O2 -Wall "$tmp/run_program.c" $cflags $libs -o "$tmp/rp_shared"
check_run "pkg-config shared" "$tmp/rp_shared" LD_LIBRARY_PATH="$libdir"
readelf -d "$tmp/rp_shared" | grep -q 'NEEDED.*libhermes.so.0' || fail "rp_shared does not need libhermes.so.0"

step "pkg-config: static"
slibs=$($pc pkg-config --static --libs libhermes | sed 's/-lhermes\( \|$\)/-l:libhermes.a\1/')
echo "   cc run_program.c $cflags $slibs"
cc -O2 -Wall "$tmp/run_program.c" $cflags $slibs -o "$tmp/rp_static"
if readelf -d "$tmp/rp_static" | grep -q 'libhermes.so'; then fail "rp_static needs libhermes.so"; fi
check_run "pkg-config static" "$tmp/rp_static"

step "find_package(hermes)"
cp "$usr/share/doc/hermes/examples/api/CMakeLists.txt" "$tmp/CMakeLists.txt"
cmake -S "$tmp" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$usr" -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
	-Dhermes_DIR= > "$tmp/cm.log" 2>&1 || { cat "$tmp/cm.log"; fail "cmake configure with find_package(hermes)"; }
grep -q "hermes_DIR:PATH=$libdir/cmake/hermes" "$tmp/cm/CMakeCache.txt" ||
	fail "find_package found hermes elsewhere: $(grep hermes_DIR "$tmp/cm/CMakeCache.txt")"
cmake --build "$tmp/cm" > "$tmp/cmb.log" 2>&1 || { cat "$tmp/cmb.log"; fail "cmake build"; }
check_run "find_package" "$tmp/cm/run_program" LD_LIBRARY_PATH="$libdir"

step "installed hermes"
LD_LIBRARY_PATH="$libdir" "$usr/bin/hermes" --version
LD_LIBRARY_PATH="$libdir" "$usr/bin/hermes" -d sim info | head -n 3

step "bash completion"
comp() { # WORDS...: what completing the last word offers
	PATH="$usr/bin:$PATH" LD_LIBRARY_PATH="$libdir" bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hermes; echo "${COMPREPLY[*]}"' \
		"$usr/share/bash-completion/completions/hermes" "$@"
}
[ "$(comp hermes r)" = "reset run" ] || fail "completing 'hermes r' gave '$(comp hermes r)', expected 'reset run'"
comp hermes run x.o --ma | grep -q -- "--max-insns" || fail "completing 'hermes run x.o --ma' gave '$(comp hermes run x.o --ma)'"
echo "   hermes r -> $(comp hermes r); hermes -d sim run --tr -> $(comp hermes -d sim run --tr)"

step "man pages"
for cmd in $("$usr/bin/hermes" --help | sed -nE 's/^[[:space:]]+hermes[[:space:]]+(\[-d DEV\][[:space:]]+)?([a-z][a-z0-9-]*).*/\2/p' | sort -u); do
	[ "$cmd" = help ] && continue
	MANWIDTH=100 man -l "$usr/share/man/man1/hermes.1" 2>/dev/null | grep -q "^   $cmd\$" ||
		fail "hermes.1 has no section for the command '$cmd'"
done
MANWIDTH=100 man -l "$usr/share/man/man3/libhermes.3" 2>/dev/null | grep -q "hermes_queue_submit" ||
	fail "libhermes.3 does not document hermes_queue_submit"

step "python"
PYTHONPATH="$usr/lib/python3/dist-packages" HERMES_LIBRARY="$libdir/libhermes.so.0" /usr/bin/python3 -c "
import hermes, struct
prog = hermes.Program.from_bytecode(struct.pack('<BBhi', 0xbf, 0x20, 0, 0) + struct.pack('<BBhi', 0x95, 0, 0, 0))
with hermes.Device('sim') as d:
    r = d.run(prog, b'12345')
    assert r.r0 == 5, r
    print('   python: r0 =', r.r0, 'from', hermes.library_path())
"
echo "installed ($mode): all checks passed"
