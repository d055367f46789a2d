#!/bin/bash
# Real-kernel test of program naming through symlinks (issue 6), run inside the VM as root:
#
#   vagrant/vmtest [--kernel 6.1|6.12] [--with-tomoyo] -- bpf/test/vm-links.sh
#
# TOMOYO names an executed program after the path as executed, with the directory part resolved
# and the last symlink NOT followed. This loads tomoyo.bpf.o with bpf/test/tmy_tool (pins under
# /sys/fs/bpf/tmylinks), execs programs in every way that matters (busybox applet symlinks,
# /bin/sh on usr-merge, ./x, bin/x, PATH lookup, a symlinked directory, a link to a link,
# scripts behind links, failed execs before a good one) and checks the domain the kernel made
# (TMY_EV_DOMAIN path, domain id), the "file execute" rule learned and the counters.
# With --with-tomoyo (the kernel's own TOMOYO active too, profile 0 for every domain: domains
# are still created) each name is also compared with the domain TOMOYO made for the same exec.
# Exits non-zero if any check fails.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bpf=$(cd "$here/.." && pwd)
out=$bpf/target/obj
T=$out/test/tmy_tool
P=/sys/fs/bpf/tmylinks
fails=0
checks=0

make -s -C "$bpf" test-tools >/dev/null || { echo "FAIL: make -C bpf test-tools"; exit 1; }

pass() { checks=$((checks + 1)); echo "ok   $*"; }
fail() {
	checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $*"
	[ -n "${E:-}" ] && [ -s "$E" ] && grep '^DOMAIN\|^AUDIT.*execute' "$E" | tail -n 8 | cut -c1-200 | sed 's/^/     | /'
	return 0
}
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
[ -e /sys/kernel/security/lsm ] || mount -t securityfs securityfs /sys/kernel/security
echo "kernel $(uname -r), LSMs $(cat /sys/kernel/security/lsm)"
grep -qw bpf /sys/kernel/security/lsm || { echo "FAIL: bpf is not an active LSM"; exit 1; }
TOMOYO=
grep -qw tomoyo /sys/kernel/security/lsm && [ -r /sys/kernel/security/tomoyo/domain_policy ] && TOMOYO=1
rm -rf "$P"
"$T" load "$out/tomoyo.bpf.o" "$P" || { echo "FAIL: load"; exit 1; }
"$T" profile "$P" 0 0
g=1
"$T" gen "$P" $g

D=$(mktemp -d /tmp/tmylinks.XXXXXX)
E=$D/events
BB=$D/bb
mkdir -p "$BB/bin" "$D/deep"
cp /bin/busybox "$BB/busybox" || { echo "FAIL: no /bin/busybox (busybox-static) on this machine"; exit 1; }
for a in cat sh true echo ls; do ln -s ../busybox "$BB/bin/$a"; done
ln -s bb "$D/lnk"                      # a symlinked directory
mkdir "$D/c"
ln -s "$BB/bin/true" "$D/c/true"       # a link to a link to busybox (busybox needs an applet name)
ln -s "$D/missing" "$D/dangling"       # exec fails (ENOENT) after the walk followed it
cat > "$D/script.sh" <<'EOF'
#!/bin/sh
exit 0
EOF
chmod +x "$D/script.sh"
ln -s script.sh "$D/slink"             # a script reached through a link

events() { "$T" events "$P" 300 > "$E"; }
id() { "$T" id "$1"; }
# made: the DOMAIN event of "<kernel> NAME" (an exec from this shell, whose task is in <kernel>)
made() { grep -q "^DOMAIN domain=$(id "<kernel> $1") .*path=$1\$" "$E"; }
not_made() { ! grep -q "^DOMAIN .*path=$1\$" "$E"; }
fresh() { g=$((g + 1)); "$T" gen "$P" $g; "$T" profile "$P" 0 0; events; }
stat_of() { "$T" stats "$P" | sed -n "s/^$1=//p"; }
# TOMOYO's domains nest under this script's own (it has tracked every exec since boot): compare
# the last word of the domain an exec from here made, "... $0 NAME"
tomoyo_has() {
	[ -z "$TOMOYO" ] && return 0
	awk -v want="/vm-links.sh ${1#<kernel> }" 'index($0, "<kernel> ") == 1 &&
		length($0) >= length(want) && substr($0, length($0) - length(want) + 1) == want { f = 1 }
		END { exit !f }' /sys/kernel/security/tomoyo/domain_policy
}
tomoyo_lacks() { [ -z "$TOMOYO" ] || ! grep -q -- "^<kernel> .* $1\$" /sys/kernel/security/tomoyo/domain_policy; }
[ -n "$TOMOYO" ] && echo "the kernel's TOMOYO is active: names are compared with its domains"

# ---- names -------------------------------------------------------------------------------------
unnamed0=$(stat_of exec_link_unnamed)

fresh; "$BB/bin/true"; events
check "busybox applet by absolute path: named after the applet's link" made "$BB/bin/true"
check "... not after busybox" not_made "$BB/busybox"
check "... TOMOYO made no busybox domain either" tomoyo_lacks "$BB/busybox"
check "... TOMOYO agrees" tomoyo_has "<kernel> $BB/bin/true"

fresh; /bin/sh -c 'exit 0'; events
check "/bin/sh on usr-merge: /usr/bin/sh (the /bin link resolved, sh -> dash not followed)" made /usr/bin/sh
check "... not /usr/bin/dash" not_made /usr/bin/dash
check "... TOMOYO agrees" tomoyo_has "<kernel> /usr/bin/sh"

fresh; (cd "$BB/bin" && ./cat /dev/null); events
check "relative ./cat: the working directory + cat" made "$BB/bin/cat"
check "... TOMOYO agrees" tomoyo_has "<kernel> $BB/bin/cat"

fresh; (cd "$BB" && bin/echo x > /dev/null); events
check "relative bin/echo: named $BB/bin/echo" made "$BB/bin/echo"
check "... TOMOYO agrees" tomoyo_has "<kernel> $BB/bin/echo"

fresh; (cd /tmp && PATH=$BB/bin:/usr/bin; ls / > /dev/null); events
check "PATH lookup (ls found in $BB/bin)" made "$BB/bin/ls"
check "... TOMOYO agrees" tomoyo_has "<kernel> $BB/bin/ls"

fresh; "$D/lnk/bin/sh" -c 'exit 0'; events
check "symlinked directory: the directory resolved ($D/lnk/bin/sh -> $BB/bin/sh)" made "$BB/bin/sh"
check "... not named through the directory link" not_made "$D/lnk/bin/sh"
check "... TOMOYO agrees" tomoyo_has "<kernel> $BB/bin/sh"

fresh; "$D/c/true"; events
check "a link to a link: named after the first link" made "$D/c/true"
check "... TOMOYO agrees" tomoyo_has "<kernel> $D/c/true"

fresh; /usr/bin/true; events
check "no symlink: named after the file (unchanged)" made /usr/bin/true

fresh; "$D/slink"; events
check "a script through a link: the domain is the link's name" made "$D/slink"
check "... TOMOYO agrees" tomoyo_has "<kernel> $D/slink"

# The same task (bash -c, whose own domain is <kernel> /usr/bin/bash) first fails to exec a
# dangling link (the walk followed it, nothing was opened), then execs a regular file, or
# /bin/true (a directory link only): neither may inherit the failed exec's record.
made_in() { grep -q "^DOMAIN domain=$(id "<kernel> $1 $2") .*path=$2\$" "$E"; }
fresh
bash -c "shopt -s execfail; exec '$D/dangling' 2>/dev/null; exec /usr/bin/true"
events
check "after a failed exec through a dangling link: a regular file keeps its own name" \
	made_in /usr/bin/bash /usr/bin/true
check "... the dangling link named nothing" not_made "$D/dangling"
fresh
bash -c "shopt -s execfail; exec '$D/dangling' 2>/dev/null; exec /bin/true"
events
check "... and /bin/true (a directory link only) too" made_in /usr/bin/bash /usr/bin/true

# An open through a link that is not an exec leaves nothing behind (6.12 records such walks:
# it has no in_execve); ':' is a builtin, so bash itself opens the file.
fresh
bash -c ": < '$BB/bin/true'; exec /usr/bin/true"
events
check "a read through a link, then exec of a regular file: the file's own name" \
	made_in /usr/bin/bash /usr/bin/true

# fexecve (execveat(fd, "", AT_EMPTY_PATH)): bprm->filename is "/dev/fd/N", nothing was walked;
# named after the file (TOMOYO would name the /dev/fd link: see tmy_link.bpf.h), not refused.
if [ -x /usr/bin/python3 ]; then
	fresh
	/usr/bin/python3 -c 'import os; fd = os.open("/usr/bin/true", os.O_RDONLY); os.execve(fd, ["true"], {})'
	events
	check "fexecve: named after the file it executes, not taken for a lost link" made_in /usr/bin/python3 /usr/bin/true
fi

check "no exec through a link went unnamed" [ "$(stat_of exec_link_unnamed)" = "$unnamed0" ]

# ---- too long to name: the defined decision ---------------------------------------------------
# ./x from a working directory whose name is longer than PATH_MAX: the name cannot be built.
# The exec is judged as an unresolved name: no domain is made, the counter grows; in a
# permissive domain it is allowed with an AUDIT record flagged path-unresolved (0x2), as any
# unnameable file (an enforcing domain refuses it: the same decision code as other files).
fresh
(cd "$D/deep" && for i in $(seq 20); do mkdir "$(printf 'd%.0s' $(seq 250))" && cd d* || exit 1; done
 ln -s /usr/bin/true x) || fail "could not make the deep directory"
W2=$D/deep.sh
cat > "$W2" <<EOF
#!/bin/bash
cd "$D/deep" && for i in \$(seq 20); do cd d*; done && ./x
EOF
chmod +x "$W2"
"$T" profile "$P" 2 2 reject_log
"$T" domain "$P" "<kernel> $W2" 2
"$W2"; rc=$?
events
check "a link name longer than PATH_MAX: exec allowed in a permissive domain" [ "$rc" = 0 ]
check "... counted in exec_link_unnamed" [ "$(stat_of exec_link_unnamed)" -gt "$unnamed0" ]
check "... no domain made for it" not_made /usr/bin/true
check "... an AUDIT record for the execute, flagged path-unresolved" \
	grep -q "^AUDIT domain=$(id "<kernel> $W2") .*perm=execute mode=2 .*flags=0x2 " "$E"

# ---- learning: the rules carry the link's name ---------------------------------------------
fresh
W=$D/w.sh
cat > "$W" <<EOF
#!/bin/sh
"$BB/bin/cat" /dev/null
"$D/slink"
EOF
chmod +x "$W"
WD="<kernel> $W"
"$T" profile "$P" 1 1
"$T" domain "$P" "$WD" 1
"$W"
events
check "learning: file execute of the applet's link in the parent domain, learned as TOMOYO does: exec.realpath the binary, exec.argv[0] as given" \
	bash -c "'$T' rule-get '$P' '$WD' '$BB/bin/cat' with '$BB/busybox' '$BB/bin/cat' | grep -q 'perms=.*x'"
check "... its LEARN event carries NAME, exec.realpath and exec.argv[0]" \
	grep -q "^LEARN domain=$(id "$WD") .*perm=execute mode=1 .*flags=0xc0 path=$BB/bin/cat\\\\000$BB/busybox\\\\000$BB/bin/cat\$" "$E"
check "... and no unconditional execute rule of the link" \
	bash -c "! '$T' rule-get '$P' '$WD' '$BB/bin/cat' 2>/dev/null | grep -q 'perms=.*x'"
check "learning: no execute of busybox itself" bash -c "! '$T' rule-get '$P' '$WD' '$BB/busybox' 2>/dev/null | grep -q 'perms=.*x'"
check "learning: the applet's domain is the link's name" \
	grep -q "^DOMAIN domain=$(id "$WD $BB/bin/cat") .*profile=1 .*path=$BB/bin/cat\$" "$E"
check "learning: a script behind a link reads its interpreter under the interpreter's real name" \
	bash -c "'$T' rule-get '$P' '$WD $D/slink' /usr/bin/dash | grep -q 'perms=r'"

# ---- exception policy by link name: aggregator, initialize_domain ------------------------------
# Transition and aggregator lookups use the same name, so rules name the applet's link.
fresh
W3=$D/w3.sh
cat > "$W3" <<EOF
#!/bin/sh
"$BB/bin/cat" /dev/null
"$BB/bin/sh" -c 'exit 0'
EOF
chmod +x "$W3"
"$T" aggregator "$P" "$BB/bin/cat" /usr/bin/bb-cat
"$T" transition "$P" initialize_domain "$BB/bin/sh"
"$W3"
events
check "aggregator by applet link: the domain is named after the aggregated name" \
	grep -q "^DOMAIN domain=$(id "<kernel> $W3 /usr/bin/bb-cat") .*program=$("$T" hash /usr/bin/bb-cat) .*flags=0x1 path=$BB/bin/cat\$" "$E"
check "initialize_domain by applet link: the sh applet starts a root-level domain" \
	grep -q "^DOMAIN domain=$(id "<kernel> $BB/bin/sh") .*path=$BB/bin/sh\$" "$E"
check "... not a child of the script's domain" \
	bash -c "! grep -q '^DOMAIN domain=$(id "<kernel> $W3 $BB/bin/sh") ' '$E'"

echo "vm-links: $checks checks, $fails failed ($(uname -r))"
rm -rf "$P"
[ "$fails" = 0 ]
