#!/bin/bash
# Real-kernel test of tomoyo.bpf.o, run inside the VM as root:
#
#   vagrant/vmtest [--kernel 6.1|6.12] -- bpf/test/vm-smoke.sh
#
# Loads and attaches the programs with bpf/test/tmy_tool (pins under /sys/fs/bpf/tmysmoke), then
# runs a small workload script under each mode and checks what the kernel did: domains and
# transitions (task storage, TMY_EV_DOMAIN), rules learned (tmy_path_rules), decisions (exit
# codes, EPERM) and events (ring buffer). Exits non-zero if any check fails. Needs nothing but
# the built objects (make -C bpf test-tools; run here if they are missing or stale).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bpf=$(cd "$here/.." && pwd)
out=$bpf/target/obj
T=$out/test/tmy_tool
P=/sys/fs/bpf/tmysmoke
fails=0
checks=0

make -s -C "$bpf" test-tools >/dev/null || { echo "FAIL: make -C bpf test-tools"; exit 1; }

pass() { checks=$((checks + 1)); echo "ok   $*"; }
fail() {
	checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $*"
	# the events read last, to see what the kernel did instead
	[ -n "${E:-}" ] && [ -s "$E" ] && tail -n 15 "$E" | cut -c1-220 | sed 's/^/     | /'
	return 0
}
check() { # check DESCRIPTION COMMAND...
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

# ---- environment -------------------------------------------------------------------------------
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
[ -e /sys/kernel/security/lsm ] || mount -t securityfs securityfs /sys/kernel/security
echo "kernel $(uname -r), LSMs $(cat /sys/kernel/security/lsm)"
grep -qw bpf /sys/kernel/security/lsm || { echo "FAIL: bpf is not an active LSM"; exit 1; }
rm -rf "$P"
TMY_VERIFIER_STATS=1 "$T" load "$out/tomoyo.bpf.o" "$P" || { echo "FAIL: load"; exit 1; }
"$T" gen "$P" 1

D=$(mktemp -d /tmp/tmysmoke.XXXXXX)
CAT=$(readlink -f /bin/cat)
LS=$(readlink -f /bin/ls)
SLEEP=$(readlink -f /bin/sleep)
TRUE=$(readlink -f /bin/true)
SH=$(readlink -f /bin/sh)      # the interpreter of the workload; named after the link's target
W="$D/w.sh"
WD="<kernel> $W"               # the workload's domain
E=$D/events

echo hello > "$D/r.txt"
echo f > "$D/f.txt"
echo fork > "$D/fork.txt"
echo secret > "$D/secret.txt"
mkdir "$D/dir"
touch "$D/dir/x"
mkfifo "$D/fifo" "$D/waitfifo"

# The workload: every access below is something the checks look for.
cat > "$W" <<'EOF'
#!/bin/sh
D=${0%/*}
cat "$D/r.txt"                          # exec cat; cat reads r.txt
echo line >> "$D/a.txt"                 # append, in this domain
echo data > "$D/w.txt"                  # write
read x < "$D/f.txt"                     # read (builtin: no exec)
( read y < "$D/fork.txt" )              # a forked subshell reads in this domain too
ls "$D/dir" > /dev/null                 # exec ls; ls opens the directory: "$D/dir/"
cat /proc/self/status > /dev/null       # proc:/self/status
if [ -n "${EXTRA:-}" ]; then
	cat "$D/secret.txt" || echo "secret: denied"
fi
if [ -n "${RUN_TRUE:-}" ]; then
	"${RUN_TRUE}" || echo "true: denied"
fi
exit 0
EOF
chmod +x "$W"

events() { "$T" events "$P" 300 > "$E"; }
nlines() { grep -c -- "$1" "$E" || true; }
has_rule() { # has_rule DOMAIN PATH PERMS [subtree]
	local got
	got=$("$T" rule-get "$P" "$1" "$2" ${4:-}) || return 1
	case "$got" in *"perms=$3 "*) return 0 ;; esac
	echo "     ($2 in '$1': $got, want perms=$3)"
	return 1
}
no_rule() { ! "$T" rule-get "$P" "$1" "$2" >/dev/null; }
domain_of() { "$T" task "$P" "$1" 2>/dev/null; }
contains() { grep -q -- "$2" <<<"$1"; }
id() { "$T" id "$1"; }

# ---- 1. disabled (profile 0 everywhere): no checks, no events but the domain records ----------
"$T" profile "$P" 0 0
events # drain what loading produced
out1=$("$W")
events
check "disabled: workload output" [ "$out1" = "hello" ]
check "disabled: no LEARN or AUDIT events" [ "$(nlines '^LEARN\|^AUDIT')" = 0 ]
check "disabled: the workload's domain was recorded (TMY_EV_DOMAIN)" \
	grep -q "^DOMAIN domain=$(id "$WD") .*parent=$(id '<kernel>') .*path=$W\$" "$E"
check "disabled: no rule learned" no_rule "$WD" "$D/r.txt"

# ---- 2. learning ------------------------------------------------------------------------------
# A new generation: the domains recorded above (with profile 0) are gone, so the cat and ls
# domains are created again below and inherit the workload's learning profile, as in TOMOYO.
"$T" gen "$P" 2
"$T" profile "$P" 1 1
"$T" domain "$P" "$WD" 1
out2=$("$W")
events
check "learning: workload output" [ "$out2" = "hello" ]
check "learning: read of the script by its interpreter, in its domain" has_rule "$WD" "$W" r
check "learning: interpreter read (checked in the new domain)" has_rule "$WD" "$SH" r
check "learning: append (>>)" has_rule "$WD" "$D/a.txt" a
check "learning: write (>)" has_rule "$WD" "$D/w.txt" w
check "learning: read by a builtin" has_rule "$WD" "$D/f.txt" r
check "learning: fork inherits the domain (subshell read)" has_rule "$WD" "$D/fork.txt" r
check "learning: write /dev/null" has_rule "$WD" "/dev/null" w
check "learning: execute cat in the parent domain" has_rule "$WD" "$CAT" x
check "learning: execute ls" has_rule "$WD" "$LS" x
check "learning: the exec'd cat got its own domain, profile inherited" \
	grep -q "^DOMAIN domain=$(id "$WD $CAT") .*parent=$(id "$WD") .*profile=1 .*path=$CAT\$" "$E"
check "learning: cat read r.txt in '<kernel> w.sh cat'" has_rule "$WD $CAT" "$D/r.txt" r
check "learning: directory named with a trailing /" has_rule "$WD $LS" "$D/dir/" r
check "learning: proc named proc:/self/..." has_rule "$WD $CAT" "proc:/self/status" r
check "learning: nothing learned in <kernel> (profile 0)" no_rule "<kernel>" "$W" 
check "learning: rules carry learned bits" \
	bash -c "'$T' rule-get '$P' '$WD' '$D/a.txt' | grep -q 'learned=a'"
check "learning: LEARN events were sent" [ "$(nlines '^LEARN')" -gt 5 ]
check "learning: LEARN event for r.txt names domain, perm and path" \
	grep -q "^LEARN domain=$(id "$WD $CAT") .*perm=read .*path=$D/r.txt\$" "$E"
out2b=$("$W")
events
check "learning: a repeated run learns nothing new (coalesced)" [ "$(nlines '^LEARN')" = 0 ]
check "learning: domain quota counter counts learned bits" \
	bash -c "'$T' domain-get '$P' '$WD' | grep -q 'learned=[1-9]'"

# ---- 3. enforcing ------------------------------------------------------------------------------
"$T" profile "$P" 3 3 reject_log
"$T" domain "$P" "$WD" 3
"$T" domain "$P" "$WD $CAT" 3
"$T" domain "$P" "$WD $LS" 3
out3=$(EXTRA=1 "$W" 2>&1)
events
check "enforcing: learned workload still works, extra read denied" \
	[ "$out3" = "$(printf 'hello\ncat: %s: Operation not permitted\nsecret: denied' "$D/secret.txt")" ]
check "enforcing: exactly one AUDIT record" [ "$(nlines '^AUDIT')" = 1 ]
check "enforcing: the AUDIT record names domain, operation and path (rejected)" \
	grep -q "^AUDIT domain=$(id "$WD $CAT") .*perm=read mode=3 profile=3 flags=0 path=$D/secret.txt\$" "$E"
check "enforcing: no learning" [ "$(nlines '^LEARN')" = 0 ]
out3b=$(RUN_TRUE=$TRUE "$W" 2>&1)
events
check "enforcing: exec of an unlisted program fails" contains "$out3b" 'true: denied'
check "enforcing: AUDIT for the refused execute" \
	grep -q "^AUDIT domain=$(id "$WD") .*perm=execute mode=3 .*path=$TRUE\$" "$E"
check "enforcing: the refused exec created no domain" \
	bash -c "! grep -q '^DOMAIN .*path=$TRUE\$' '$E'"
# subtree rule: allow the whole directory, then the extra read works
"$T" rule "$P" "$WD $CAT" "$D/" r subtree
"$T" domain "$P" "$WD $CAT" 3 depths=$((1 << 2))   # "$D/" has 3 '/': /tmp/tmysmoke.X/
out3c=$(EXTRA=1 "$W" 2>&1)
events
check "enforcing: a subtree rule for the directory allows the extra read" \
	[ "$out3c" = "$(printf 'hello\nsecret')" ]
check "enforcing: ... and nothing was rejected" [ "$(nlines '^AUDIT')" = 0 ]
"$T" domain "$P" "$WD $CAT" 3                        # drop the depth bit again

# ---- 4. permissive -------------------------------------------------------------------------
"$T" profile "$P" 2 2 reject_log grant_log
"$T" domain "$P" "$WD" 2
"$T" domain "$P" "$WD $CAT" 2
"$T" domain "$P" "$WD $LS" 2
out4=$(EXTRA=1 "$W" 2>&1)
events
check "permissive: everything allowed" [ "$out4" = "$(printf 'hello\nsecret')" ]
check "permissive: rejected access logged" \
	grep -q "^AUDIT domain=$(id "$WD $CAT") .*perm=read mode=2 .*flags=0 path=$D/secret.txt\$" "$E"
check "permissive: granted accesses logged (grant_log)" \
	grep -q "^AUDIT domain=$(id "$WD $CAT") .*perm=read mode=2 .*flags=0x1 path=$D/r.txt\$" "$E"
check "permissive: nothing learned" no_rule "$WD $CAT" "$D/secret.txt"

# ---- 5. back to disabled -------------------------------------------------------------------
for dom in "$WD" "$WD $CAT" "$WD $LS"; do "$T" domain "$P" "$dom" 0; done
out5=$(EXTRA=1 "$W" 2>&1)
events
check "disabled again: extra read allowed" [ "$out5" = "$(printf 'hello\nsecret')" ]
check "disabled again: no events but domain records" [ "$(nlines '^LEARN\|^AUDIT')" = 0 ]

# ---- 6. domains and transitions --------------------------------------------------------------
S="$D/s.sh" # a script that starts a long sleep and reports its pid
cat > "$S" <<'EOF'
#!/bin/sh
"$1" 30 &
echo $! > "${0%/*}/sleep.pid"
( read z < "${0%/*}/fifo" ) &
echo $! > "${0%/*}/sub.pid"
wait
EOF
chmod +x "$S"
SD="<kernel> $S"
run_s() { # run_s -> leaves $spid, $subpid of a running S
	rm -f "$D/sleep.pid" "$D/sub.pid"
	"$S" "$SLEEP" & sjob=$!
	# wait without exec'ing anything (the transition rules under test apply to us too)
	for _ in $(seq 100); do
		[ -s "$D/sleep.pid" ] && [ -s "$D/sub.pid" ] && break
		read -r -t 0.1 _ <> "$D/waitfifo"
	done
	spid=$(cat "$D/sleep.pid"); subpid=$(cat "$D/sub.pid")
}
stop_s() { kill "$spid" 2>/dev/null; echo > "$D/fifo"; wait "$sjob" 2>/dev/null; }

run_s
check "domain: a forked subshell stays in its parent's domain" [ "$(domain_of "$subpid")" = "$(id "$SD")" ]
check "domain: exec moves the child to '<kernel> s.sh sleep'" [ "$(domain_of "$spid")" = "$(id "$SD $SLEEP")" ]
check "domain: a process started before loading is in <kernel>" [ "$(domain_of 1)" = "$(id '<kernel>')" ]
stop_s

"$T" transition "$P" initialize_domain "$SLEEP"
run_s
check "initialize_domain: sleep becomes '<kernel> sleep'" [ "$(domain_of "$spid")" = "$(id "<kernel> $SLEEP")" ]
stop_s
"$T" transition "$P" no_initialize_domain "$SLEEP" domain "$SD"
run_s
check "no_initialize_domain from the script's domain wins" [ "$(domain_of "$spid")" = "$(id "$SD $SLEEP")" ]
stop_s
"$T" transition "$P" keep_domain any domain "$SD"
run_s
check "keep_domain: the child stays in the script's domain" [ "$(domain_of "$spid")" = "$(id "$SD")" ]
stop_s
"$T" transition "$P" no_keep_domain "$SLEEP" last "$S"
run_s
check "no_keep_domain from a last name: ordinary child again" [ "$(domain_of "$spid")" = "$(id "$SD $SLEEP")" ]
stop_s
"$T" gen "$P" 3 # a new, empty generation: the rules above are gone
"$T" transition "$P" reset_domain "$SLEEP"
outr=$("$SLEEP" 0 2>&1); rc=$?
check "reset_domain to an undefined root: exec refused with ENOMEM" \
	bash -c "[ $rc != 0 ] && grep -q 'Cannot allocate memory' <<<'$outr'"
events
check "reset_domain failure is logged" grep -q "^AUDIT .*perm=execute .*flags=0x10 path=$SLEEP\$" "$E"
"$T" domain "$P" "<$SLEEP>" 0
run_s
check "reset_domain: sleep becomes '<$SLEEP>'" [ "$(domain_of "$spid")" = "$(id "<$SLEEP>")" ]
stop_s
"$T" gen "$P" 4
"$T" aggregator "$P" "$SLEEP" /usr/bin/napper
run_s
check "aggregator: the domain is named after the aggregated name" \
	[ "$(domain_of "$spid")" = "$(id "$SD /usr/bin/napper")" ]
stop_s
events
check "aggregator: TMY_EV_DOMAIN flagged aggregated, path is the real file" \
	grep -q "^DOMAIN domain=$(id "$SD /usr/bin/napper") .*program=$("$T" hash /usr/bin/napper) .*flags=0x1 path=$SLEEP\$" "$E"

# ---- 7. names: chroot, deleted files, quota --------------------------------------------------
"$T" gen "$P" 5
"$T" profile "$P" 1 1
J=$D/jail
mkdir -p "$J/bin"
cp "$(readlink -f /bin/busybox)" "$J/bin/busybox"
echo jailed > "$J/in.txt"
C="$D/c.sh"
cat > "$C" <<EOF
#!/bin/sh
chroot "$J" /bin/busybox cat /in.txt
EOF
chmod +x "$C"
CHROOT=$(readlink -f "$(command -v chroot)")
"$T" domain "$P" "<kernel> $C" 1
out7=$("$C")
events
check "chroot: workload output" [ "$out7" = "jailed" ]
check "chroot: the program in the jail is named from the namespace root" \
	grep -q "^DOMAIN domain=$(id "<kernel> $C $CHROOT $J/bin/busybox") .*path=$J/bin/busybox\$" "$E"
check "chroot: a file read in the jail is named from the namespace root" \
	has_rule "<kernel> $C $CHROOT $J/bin/busybox" "$J/in.txt" r

# deleted file reached through /proc/self/fd: named without " (deleted)"
DL="$D/d.sh"
cat > "$DL" <<'EOF'
#!/bin/sh
D=${0%/*}
echo gone > "$D/del.txt"
exec 3< "$D/del.txt"
rm "$D/del.txt"
cat /proc/self/fd/3
EOF
chmod +x "$DL"
"$T" domain "$P" "<kernel> $DL" 1
out7b=$("$DL")
events
check "deleted: output" [ "$out7b" = "gone" ]
check "deleted: named as it was, without ' (deleted)'" has_rule "<kernel> $DL $CAT" "$D/del.txt" r

# quota: max_learning_entry=3 stops learning and says so once
Q="$D/q.sh"
cat > "$Q" <<'EOF'
#!/bin/sh
D=${0%/*}
for i in 1 2 3 4 5 6; do read x < "$D/f.txt"; echo > "$D/q$i"; done
EOF
chmod +x "$Q"
"$T" profile "$P" 1 1 max=3
"$T" domain "$P" "<kernel> $Q" 1
"$Q"; "$Q"
events
check "quota: learning stopped (flag set, counter at the limit)" \
	bash -c "'$T' domain-get '$P' '<kernel> $Q' | grep -q 'flags=0x1 learned=3'"
check "quota: exactly 3 LEARN events for the domain" \
	[ "$(grep -c "^LEARN domain=$(id "<kernel> $Q") " "$E")" = 3 ]
check "quota: one QUOTA_EXCEEDED record" \
	[ "$(grep -c "^AUDIT domain=$(id "<kernel> $Q") .*flags=0x4 " "$E")" = 1 ]

"$T" profile "$P" 1 1 # learning again, without the quota
# pseudo files are named by d_dname: a pipe reopened through /proc/self/fd
PI="$D/p.sh"
printf '#!/bin/sh\necho piped | cat /proc/self/fd/0\n' > "$PI"
chmod +x "$PI"
"$T" domain "$P" "<kernel> $PI" 1
out7c=$("$PI")
events
check "pipe: output" [ "$out7c" = "piped" ]
check "pipe: named pipe:[INODE] as TOMOYO does" \
	grep -Eq "^LEARN domain=$(id "<kernel> $PI $CAT") .*perm=read .*path=pipe:\[[0-9]+\]\$" "$E"

# a name longer than PATH_MAX: defined decision (never learned, logged, refused if enforcing)
L="$D/l.sh"
{
	echo '#!/bin/bash'  # dash's cd refuses a directory whose absolute name is too long
	echo 'cd "${0%/*}/deep" || exit 1'
	echo 'for i in {1..22}; do cd "$N" || exit 1; done'
	echo 'read x < f.txt && echo "read: $x"'
} > "$L"
chmod +x "$L"
N=$(printf 'n%.0s' $(seq 200))
if [ -n "$D" ] && mkdir "$D/deep"; then
	( cd "$D/deep" && for i in $(seq 22); do mkdir "$N" && cd "$N" || exit 1; done && echo far > f.txt ) ||
		fail "could not build the deep tree"
fi
"$T" domain "$P" "<kernel> $L" 1
out7d=$(N=$N "$L" 2>&1)
events
check "too long, learning: access allowed" [ "$out7d" = "read: far" ]
check "too long, learning: logged as unresolved (flag 0x2, last component)" \
	grep -q "^AUDIT domain=$(id "<kernel> $L") .*perm=read mode=1 .*flags=0x2 path=f.txt\$" "$E"
check "too long, learning: nothing learned for it" [ "$(grep -c '^LEARN .*path=f.txt$' "$E")" = 0 ]
"$T" profile "$P" 3 3 # enforcing, reject_log off: unresolved names are logged all the same
"$T" domain "$P" "<kernel> $L" 3
out7e=$(N=$N "$L" 2>&1)
events
check "too long, enforcing: refused" contains "$out7e" "Operation not permitted"
check "too long, enforcing: logged as unresolved" \
	grep -q "^AUDIT domain=$(id "<kernel> $L") .*perm=read mode=3 .*flags=0x2 path=f.txt\$" "$E"

# An exec that fails after its first check (the interpreter refused in the next domain) must
# not leave its domain pending: the same process's next exec is judged and named afresh.
BASH=$(readlink -f /bin/bash)
X="$D/x.sh"
printf '#!/bin/sh\necho never\n' > "$X"
chmod +x "$X"
"$T" profile "$P" 3 3 reject_log
"$T" domain "$P" "<kernel> $BASH $X" 3   # enforcing, no rules: its interpreter read fails
"$BASH" -c "shopt -s execfail; exec '$X'; echo \"exec failed: \$?\"; exec '$SLEEP' 30" > "$D/x.out" 2>&1 &
xpid=$!
for _ in $(seq 100); do
	[ "$(readlink "/proc/$xpid/exe")" = "$SLEEP" ] && break
	read -r -t 0.1 _ <> "$D/waitfifo"
done
check "failed exec: refused by the interpreter check" grep -q "exec failed: 126" "$D/x.out"
check "failed exec: the next exec is named from the old domain" \
	[ "$(domain_of "$xpid")" = "$(id "<kernel> $BASH $SLEEP")" ]
kill "$xpid" 2>/dev/null; wait "$xpid" 2>/dev/null
events
check "failed exec: AUDIT of the interpreter read in the refused domain (flag 0x20)" \
	grep -q "^AUDIT domain=$(id "<kernel> $BASH $X") .*perm=read mode=3 .*flags=0x20 path=$SH\$" "$E"

echo "--- counters"
"$T" stats "$P"
rm -rf "$P" "$D"
echo "vm-smoke: $checks checks, $fails failed ($(uname -r))"
[ "$fails" = 0 ]
