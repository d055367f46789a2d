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
	got=$("$T" rule-get "$P" "$1" "$2" "${@:4}") || return 1
	case "$got" in *"perms=$3 "*) return 0 ;; esac
	echo "     ($2 in '$1': $got, want perms=$3)"
	return 1
}
no_rule() { ! "$T" rule-get "$P" "$1" "$2" >/dev/null; }
domain_of() { "$T" task "$P" "$1" 2>/dev/null; }
contains() { grep -q -- "$2" <<<"$1"; }
id() { "$T" id "$1"; }
stat_of() { "$T" stats "$P" | sed -n "s/^$1=//p"; }

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
# since issue 5 the getattr/truncate TOMOYO checks too: ">" on an existing file truncates it
check "learning: write (>), truncate (O_TRUNC of the file the disabled run made)" has_rule "$WD" "$D/w.txt" wt
check "learning: read by a builtin" has_rule "$WD" "$D/f.txt" r
check "learning: fork inherits the domain (subshell read)" has_rule "$WD" "$D/fork.txt" r
check "learning: write /dev/null" has_rule "$WD" "/dev/null" w
check "learning: the shell stats cat on PATH (getattr)" has_rule "$WD" "$CAT" g
check "learning: execute cat in the parent domain, as TOMOYO learns it (exec.realpath, exec.argv[0])" \
	has_rule "$WD" "$CAT" x with "$CAT" cat
check "learning: execute ls (and getattr)" has_rule "$WD" "$LS" x with "$LS" ls
check "learning: the LEARN event of an execute carries exec.realpath and exec.argv[0] (INFO1|INFO2)" \
	grep -q "^LEARN domain=$(id "$WD") .*perm=execute mode=1 profile=1 flags=0xc0 path=$LS\\\\000$LS\\\\000ls\$" "$E"
check "learning: an exec whose argv[0] is read counts nothing as unread" [ "$(stat_of exec_argv0_unread)" = 0 ]
check "learning: the exec'd cat got its own domain, profile inherited" \
	grep -q "^DOMAIN domain=$(id "$WD $CAT") .*parent=$(id "$WD") .*profile=1 .*path=$CAT\$" "$E"
check "learning: cat read r.txt in '<kernel> w.sh cat' (and fstat: getattr)" has_rule "$WD $CAT" "$D/r.txt" rg
check "learning: directory named with a trailing /" has_rule "$WD $LS" "$D/dir/" rg
check "learning: proc named proc:/self/..." has_rule "$WD $CAT" "proc:/self/status" rg
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
	grep -q "^AUDIT domain=$(id "$WD") .*perm=execute mode=3 .*flags=0xc0 path=$TRUE\\\\000$TRUE\\\\000$TRUE\$" "$E"
check "enforcing: the refused exec created no domain" \
	bash -c "! grep -q '^DOMAIN .*path=$TRUE\$' '$E'"
# subtree rule: allow the whole directory, then the extra read works
"$T" rule "$P" "$WD $CAT" "$D/" rg subtree
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
check "deleted: named as it was, without ' (deleted)'" has_rule "<kernel> $DL $CAT" "$D/del.txt" rg

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

# ---- 8. network (socket_bind/listen/connect/sendmsg) ---------------------------------------
# Commands run as "$TN ..." from this script are in "<kernel> $TN" (this script is in <kernel>).
TN=$out/test/tmy_net
TN2=$D/tmy_net2
cp "$TN" "$TN2"
cp "$TN" "$D/tmy_srv"
ND="<kernel> $TN"
ND2="<kernel> $TN2"
PY=$(readlink -f /usr/bin/python3)
"$T" gen "$P" 6
"$T" profile "$P" 0 0
"$D/tmy_srv" serve 900 > "$D/srv.out" 2>&1 &
srvpid=$!
for _ in $(seq 50); do [ -s "$D/srv.out" ] && break; read -r -t 0.1 _ <> "$D/waitfifo"; done
check "net: the loopback listeners are up" grep -q '^OK' "$D/srv.out"
tn() { "$TN" "$@" 2>/dev/null; }
has_inet() { # has_inet DOMAIN ADDR PORT PERMS
	local got
	got=$("$T" inet-rule-get "$P" "$1" "$2" "$3") || { echo "     (no rule $2 $3 in '$1')"; return 1; }
	case "$got" in "perms=$4 "*) return 0 ;; esac
	echo "     ($2 $3: $got, want perms=$4)"; return 1
}
has_unix() { # has_unix DOMAIN NAME PERMS
	local got
	got=$("$T" unix-rule-get "$P" "$1" "$2") || { echo "     (no unix rule $2 in '$1')"; return 1; }
	case "$got" in "perms=$3 "*) return 0 ;; esac
	echo "     ($2: $got, want perms=$3)"; return 1
}
one_event() { [ "$(nlines "^$1 ")" = 1 ] && grep -q -- "^$1 $2" "$E"; } # one_event TYPE REGEX: the only TYPE event matches
events
r=$(tn tcp-connect 127.0.0.1 7001)
events
check "net disabled: connect allowed" [ "$r" = OK ]
check "net disabled: no network events" [ "$(nlines '^NET_')" = 0 ]
check "exec records the new domain's parent (the current domain)" \
	bash -c "'$T' domain-get '$P' '$ND' | grep -q 'parent=$(id '<kernel>')\$'"

NETCMDS=("tcp-connect 127.0.0.1 7001" "tcp-connect ::1 7002" "udp-connect 127.0.0.1 7001"
	"udp-send 127.0.0.1 7003" "tcp-bind 127.0.0.1 7100" "tcp-listen 127.0.0.1 7101"
	"udp-bind 127.0.0.1 7102" "unix-stream-connect /tmp/tmy-s.sock" "unix-stream-connect @tmy-abs"
	"unix-dgram-connect /tmp/tmy-d.sock" "unix-dgram-send /tmp/tmy-d.sock"
	"unix-stream-listen $D/l.sock" "tcp-fastopen 127.0.0.1 7004")
ALLOK=$(printf ' OK%.0s' "${NETCMDS[@]}")
run_netcmds() { local c o=""; for c in "${NETCMDS[@]}"; do o="$o $(tn $c)"; done; echo "$o"; }

"$T" profile "$P" 4 0 net=1
"$T" domain "$P" "$ND" 4
out8=$(run_netcmds)
events
check "net learning: every operation allowed" [ "$out8" = "$ALLOK" ]
check "net learning: TCP connect v4 and UDP connect() (recorded as dgram send) to one address" \
	has_inet "$ND" 127.0.0.1 7001 stream:connect,dgram:send
check "net learning: TCP connect v6" has_inet "$ND" ::1 7002 stream:connect
check "net learning: UDP sendto" has_inet "$ND" 127.0.0.1 7003 dgram:send
check "net learning: TCP bind" has_inet "$ND" 127.0.0.1 7100 stream:bind
check "net learning: listen judged on the bound address" has_inet "$ND" 127.0.0.1 7101 stream:bind,stream:listen
check "net learning: UDP bind" has_inet "$ND" 127.0.0.1 7102 dgram:bind
check "net learning: TCP fast open (sendto MSG_FASTOPEN) as connect" has_inet "$ND" 127.0.0.1 7004 stream:connect
check "net learning: unix stream connect to a path" has_unix "$ND" /tmp/tmy-s.sock stream:connect
check "net learning: unix abstract name keeps its leading NUL" has_unix "$ND" '\000tmy-abs' stream:connect
check "net learning: unix dgram connect and send are send" has_unix "$ND" /tmp/tmy-d.sock dgram:send
check "net learning: unix bind + listen" has_unix "$ND" "$D/l.sock" stream:bind,stream:listen
check "net learning: 14 NET_LEARN events, one per new permission" [ "$(nlines '^NET_LEARN')" = 14 ]
check "net learning: the event names operation, address and port" \
	[ "$(grep -c "^NET_LEARN domain=$(id "$ND") pid=[0-9]* perm=stream:connect mode=1 profile=4 flags=0 addr=::1 port=7002\$" "$E")" = 1 ]
check "net learning: the abstract name's event" \
	grep -q "^NET_LEARN .*perm=stream:connect .*unix=\\\\000tmy-abs\$" "$E"
out8b=$(run_netcmds)
events
check "net learning: a repeated run learns nothing new" [ "$out8b" = "$ALLOK" -a "$(nlines '^NET_')" = 0 ]
short0=$(stat_of addr_short)
r1=$(tn connect-addrlen 1); r15=$(tn connect-addrlen 15)
events
check "net: addrlen 1 and 15 are not judged (the kernel's EINVAL, counted, nothing learned)" \
	bash -c "[ '$r1 $r15' = 'ERR EINVAL ERR EINVAL' ] && [ \$('$T' stats '$P' | sed -n 's/^addr_short=//p') = $((short0 + 2)) ] && [ $(nlines '^NET_') = 0 ]"
r16=$(tn connect-addrlen 16)
check "net: addrlen 16 is judged (learned 127.0.0.1 9)" has_inet "$ND" 127.0.0.1 9 stream:connect
"$T" domain "$P" "<kernel> $PY" 4
"$PY" -c 'import socket
s = socket.socket(socket.AF_UNIX)
try:
    s.listen(1)
except OSError:
    pass' 2>/dev/null
check "net learning: listen on an unbound unix socket is 'anonymous'" has_unix "<kernel> $PY" anonymous stream:listen

"$T" profile "$P" 5 0 net=3 reject_log
"$T" domain "$P" "$ND" 5
events
out8c=$(run_netcmds)
events
check "net enforcing: every learned operation still allowed" [ "$out8c" = "$ALLOK" ]
check "net enforcing: ... and nothing rejected" [ "$(nlines '^NET_')" = 0 ]
deny() { # deny WHAT PERM ADDRESS_REGEX CMD...
	local what=$1 perm=$2 pat=$3 r
	shift 3
	r=$(tn "$@")
	events
	check "net enforcing: $what: EPERM" [ "$r" = "ERR EPERM" ]
	check "net enforcing: $what: exactly one rejected event" \
		one_event NET_AUDIT "domain=$(id "$ND") pid=[0-9]* perm=$perm mode=3 profile=5 flags=0 $pat\$"
}
deny "TCP connect v4, other port" stream:connect "addr=127.0.0.1 port=7002" tcp-connect 127.0.0.1 7002
deny "TCP connect v6, other port" stream:connect "addr=::1 port=7003" tcp-connect ::1 7003
deny "UDP sendto, other port" dgram:send "addr=127.0.0.1 port=7005" udp-send 127.0.0.1 7005
deny "UDP connect, other port (as send)" dgram:send "addr=127.0.0.1 port=7002" udp-connect 127.0.0.1 7002
deny "TCP bind, other port" stream:bind "addr=127.0.0.1 port=7103" tcp-bind 127.0.0.1 7103
deny "listen where only bind was learned" stream:listen "addr=127.0.0.1 port=7100" tcp-listen 127.0.0.1 7100
deny "TCP fast open, other port" stream:connect "addr=127.0.0.1 port=7005" tcp-fastopen 127.0.0.1 7005
deny "unix connect, other abstract name" stream:connect 'unix=\\000tmy-abz' unix-stream-connect @tmy-abz
deny "unix dgram send, other path" dgram:send "unix=/tmp/tmy-d2.sock" unix-dgram-send /tmp/tmy-d2.sock
r=$(tn connect-addrlen 1)
events
check "net enforcing: addrlen 1 is still the kernel's EINVAL, no event" \
	[ "$r" = "ERR EINVAL" -a "$(nlines '^NET_')" = 0 ]

# ranges: 127.0.0.1-127.0.0.6 ports 7001-7003 (CIDR blocks, as PolicyCompiler writes them),
# ::1 port 7005
"$T" inet-range "$P" "$ND" 127.0.0.1 32 9
"$T" inet-range "$P" "$ND" 127.0.0.2 31 9
"$T" inet-range "$P" "$ND" 127.0.0.4 31 9
"$T" inet-range "$P" "$ND" 127.0.0.6 32 9
"$T" port-set "$P" 9 7001 16 stream connect
"$T" port-set "$P" 9 7002 15 stream connect
"$T" inet-range "$P" "$ND" ::1 128 10
"$T" port-set "$P" 10 7005 16 stream connect
range_ok() { [ "$(tn tcp-connect "$1" "$2")" != "ERR EPERM" ]; }
range_no() { [ "$(tn tcp-connect "$1" "$2")" = "ERR EPERM" ]; }
check "net range: without TMY_DOMAIN_INET_RANGES the ranges are not consulted" range_no 127.0.0.3 7002
"$T" domain "$P" "$ND" 5 flags=2
check "net range: first address, last port allowed" range_ok 127.0.0.1 7003
check "net range: last address, first port allowed" range_ok 127.0.0.6 7001
check "net range: one past the last address denied" range_no 127.0.0.7 7001
check "net range: one before the first address denied" range_no 127.0.0.0 7002
check "net range: one past the last port denied" range_no 127.0.0.3 7004
check "net range: one before the first port denied" range_no 127.0.0.3 7000
check "net range: IPv6 range allowed" range_ok ::1 7005
check "net range: IPv6 other port denied" range_no ::1 7004

"$T" profile "$P" 6 0 net=2 reject_log
"$T" domain "$P" "$ND" 6 flags=2
events
r=$(tn tcp-connect 127.0.0.1 7005)
events
check "net permissive: allowed" [ "$r" = OK ]
check "net permissive: logged (one rejected event, mode 2)" \
	one_event NET_AUDIT "domain=$(id "$ND") .*mode=2 profile=6 flags=0 addr=127.0.0.1 port=7005\$"
check "net permissive: nothing learned" bash -c "! '$T' inet-rule-get '$P' '$ND' 127.0.0.1 7005"
"$T" domain "$P" "$ND" 0
r=$(tn tcp-connect 127.0.0.7 7001)
events
check "net disabled again: allowed, no events" [ "$r" = "ERR ECONNREFUSED" -a "$(nlines '^NET_')" = 0 ]

# ---- 9. capability (capable) ------------------------------------------------------------------
has_cap() { # has_cap DOMAIN N
	local got a
	got=$("$T" cap-get "$P" "$1") || return 1
	a=${got#allowed=}; a=${a%% *}
	(( (a >> $2) & 1 ))
}
no_cap() { ! has_cap "$@"; }
"$T" profile "$P" 7 0 cap=1
"$T" domain "$P" "$ND" 7
events
r=$(tn tcp-bind 127.0.0.1 80)
events
check "cap learning: bind to port 80 allowed" [ "$r" = OK ]
check "cap learning: net_bind_service (10) learned" has_cap "$ND" 10
check "cap learning: one CAP_LEARN for it" \
	[ "$(grep -c "^CAP_LEARN domain=$(id "$ND") .*cap=10 mode=1 profile=7 flags=0\$" "$E")" = 1 ]
r=$(tn tcp-bind 127.0.0.1 80)
events
check "cap learning: learned only once" [ "$r" = OK -a "$(nlines '^CAP_LEARN')" = 0 ]
"$T" profile "$P" 8 0 cap=3 reject_log
"$T" domain "$P" "$ND" 8
"$T" domain "$P" "$ND2" 8 # a copy of the tool: no capability rules
r=$(tn tcp-bind 127.0.0.1 80)
r2=$("$TN2" tcp-bind 127.0.0.1 80 2>/dev/null)
events
check "cap enforcing: the learned capability allowed" [ "$r" = OK ]
check "cap enforcing: without the rule, bind to port 80 fails with the syscall's EACCES" [ "$r2" = "ERR EACCES" ]
check "cap enforcing: exactly one rejected event" \
	one_event CAP_AUDIT "domain=$(id "$ND2") .*cap=10 mode=3 profile=8 flags=0\$"
"$T" profile "$P" 9 0 cap=2 reject_log
"$T" domain "$P" "$ND2" 9
r2=$("$TN2" tcp-bind 127.0.0.1 80 2>/dev/null)
events
check "cap permissive: allowed" [ "$r2" = OK ]
check "cap permissive: logged" one_event CAP_AUDIT "domain=$(id "$ND2") .*cap=10 mode=2 profile=9 flags=0\$"
check "cap permissive: nothing learned" bash -c "! '$T' cap-get '$P' '$ND2'"
"$T" domain "$P" "$ND2" 0
r2=$("$TN2" tcp-bind 127.0.0.1 80 2>/dev/null)
events
check "cap disabled: allowed, no events" [ "$r2" = OK -a "$(nlines '^CAP_')" = 0 ]
# CAP_OPT_NOAUDIT: reading /proc/PID/stat of another user's process probes CAP_SYS_PTRACE (19)
# with PTRACE_MODE_NOAUDIT; /proc/PID/environ asks for it audited.
setpriv --reuid=65534 --regid=65534 --clear-groups "$SLEEP" 60 &
nobody=$!
CAT2=$D/cat2
cp "$CAT" "$CAT2"
"$T" domain "$P" "<kernel> $CAT" 7
"$T" domain "$P" "<kernel> $CAT2" 7
for _ in $(seq 50); do [ "$(readlink "/proc/$nobody/exe")" = "$SLEEP" ] && break; read -r -t 0.1 _ <> "$D/waitfifo"; done
events
"$CAT" "/proc/$nobody/stat" > /dev/null
"$CAT2" "/proc/$nobody/environ" > /dev/null
events
check "cap NOAUDIT: the /proc/PID/stat probe learned nothing" no_cap "<kernel> $CAT" 19
check "cap NOAUDIT: ... and sent no event" [ "$(grep -c "^CAP_.* domain=$(id "<kernel> $CAT") " "$E")" = 0 ]
check "cap: the same capability asked for audited (/proc/PID/environ) is learned" has_cap "<kernel> $CAT2" 19
kill "$nobody" 2>/dev/null; wait "$nobody" 2>/dev/null
# overlayfs checks its mounter's capabilities under override_creds (reading trusted.* xattrs needs
# sys_admin) while the task creates a socket file on the overlay root (/tmp here): the task did
# not ask for them, so nothing is learned.
"$T" domain "$P" "$ND2" 7
events
r2=$("$TN2" unix-stream-listen "/tmp/tmy-ovl-$$.sock" 2>/dev/null)
events
ovl_not_learned() { [ "$r2" = OK ] && no_cap "$ND2" 21; }
check "cap: overlayfs's checks under override_creds are not learned (no sys_admin)" ovl_not_learned

# ---- 10. signal (task_kill) -------------------------------------------------------------------
"$T" gen "$P" 7
run_s # creates "<kernel> $S" and "<kernel> $S $SLEEP" in this generation (profile 0)
TD="<kernel> $S $SLEEP"
check "exec records the parent chain (sleep's parent is the script's domain)" \
	bash -c "'$T' domain-get '$P' '$TD' | grep -q 'parent=$(id "<kernel> $S")\$'"
"$T" profile "$P" 10 0 ipc=1
"$T" domain "$P" "$ND" 10
events
r=$(tn kill "$spid" 0; tn kill "$spid" 28)
events
check "signal learning: allowed" [ "$r" = "$(printf 'OK\nOK')" ]
check "signal learning: rule (sender, the target's own domain, 28)" "$T" signal-get "$P" "$ND" "$TD" 28
check "signal learning: one SIG_LEARN naming target domain and pid" \
	one_event SIG_LEARN "domain=$(id "$ND") .*target=$(id "$TD") sig=28 target_pid=$spid mode=1 profile=10 flags=0\$"
check "signal 0 is not checked (nothing learned for it)" bash -c "! '$T' signal-get '$P' '$ND' '$TD' 0"
r=$(tn kill "$spid" 28)
events
check "signal learning: learned only once" [ "$r" = OK -a "$(nlines '^SIG_')" = 0 ]
"$T" profile "$P" 11 0 ipc=3 reject_log
"$T" domain "$P" "$ND" 11
r=$(tn kill "$spid" 28; tn kill "$spid" 0)
events
check "signal enforcing: the learned signal and signal 0 allowed, no events" \
	[ "$r" = "$(printf 'OK\nOK')" -a "$(nlines '^SIG_')" = 0 ]
r=$(tn kill "$spid" 23)
events
check "signal enforcing: another signal denied with EPERM" [ "$r" = "ERR EPERM" ]
check "signal enforcing: exactly one rejected event" \
	one_event SIG_AUDIT "domain=$(id "$ND") .*target=$(id "$TD") sig=23 target_pid=$spid mode=3 profile=11 flags=0\$"
"$T" signal-rule "$P" "$ND" "<kernel> $S" 23
check "signal enforcing: a rule for a name-ancestor of the target's domain allows" [ "$(tn kill "$spid" 23)" = OK ]
"$T" signal-rule "$P" "$ND" "<kernel>" 17
check "signal enforcing: a rule for <kernel> covers every domain" [ "$(tn kill "$spid" 17)" = OK ]
"$T" signal-rule "$P" "$ND" "<kernel> $W" 18
check "signal enforcing: a rule for another domain does not" [ "$(tn kill "$spid" 18)" = "ERR EPERM" ]
"$T" profile "$P" 12 0 ipc=2 reject_log
"$T" domain "$P" "$ND" 12
events
r=$(tn kill "$spid" 18)
events
check "signal permissive: allowed" [ "$r" = OK ]
check "signal permissive: logged" one_event SIG_AUDIT "domain=$(id "$ND") .*sig=18 .*mode=2 profile=12 flags=0\$"
"$T" domain "$P" "$ND" 0
r=$(tn kill "$spid" 18)
events
check "signal disabled: allowed, no events" [ "$r" = OK -a "$(nlines '^SIG_')" = 0 ]
stop_s
"$T" transition "$P" initialize_domain "$SLEEP"
run_s
check "initialize_domain: the new domain's parent is the namespace root, not the exec's domain" \
	bash -c "'$T' domain-get '$P' '<kernel> $SLEEP' | grep -q 'parent=$(id '<kernel>')\$'"
stop_s
kill "$srvpid" 2>/dev/null; wait "$srvpid" 2>/dev/null

# ---- 11. single-path file operations (unlink getattr rmdir truncate symlink chroot unmount) ----
# "$TN OP PATH" runs in "<kernel> $TN" (ND), one syscall per command. Objects: $F/NAMEn, n = the
# phase (1 learned, 2 denied, 3 permissive, 4 disabled).
F=$D/fo
mkdir -p "$F"
fo_setup() { # fo_setup N: fresh objects of phase N
	local n=$1
	: > "$F/u$n"; : > "$F/g$n"; echo data > "$F/t$n"; : > "$F/plain$n"
	mkdir -p "$F/d$n" "$F/jail$n" "$F/mnt$n"; rm -f "$F/l$n"
	mountpoint -q "$F/mnt$n" || mount -t tmpfs none "$F/mnt$n"
}
fo_all() { # fo_all N: one of each operation on phase N's objects; prints one line per op
	local n=$1
	tn unlink "$F/u$n"; tn getattr "$F/g$n"; tn rmdir "$F/d$n"; tn truncate "$F/t$n"
	tn symlink /etc/hosts "$F/l$n"; tn chroot "$F/jail$n"; tn umount "$F/mnt$n"
}
FO_OK=$(printf 'OK\nOK\nOK\nOK\nOK\nOK\nOK')
"$T" gen "$P" 8
"$T" profile "$P" 13 1
"$T" domain "$P" "$ND" 13
fo_setup 1
events
r=$(fo_all 1)
events
check "fileops learning: every operation allowed" [ "$r" = "$FO_OK" ]
check "fileops learning: file unlink learned (the entry's name)" has_rule "$ND" "$F/u1" u
check "fileops learning: file getattr learned" has_rule "$ND" "$F/g1" g
check "fileops learning: file rmdir learned (directory name ends in /)" has_rule "$ND" "$F/d1/" d
check "fileops learning: file truncate learned" has_rule "$ND" "$F/t1" t
check "fileops learning: file symlink learned (the new link's own name, symlink.target as given)" \
	has_rule "$ND" "$F/l1" s with /etc/hosts
check "fileops learning: ... not as a rule without symlink.target" no_rule "$ND" "$F/l1"
check "fileops learning: file chroot learned (the new root, with /)" has_rule "$ND" "$F/jail1/" c
check "fileops learning: file unmount learned (the mount point, with /)" has_rule "$ND" "$F/mnt1/" m
fo_tail() { # fo_tail OP: what an event of OP carries behind the name: symlink.target (INFO1)
	[ "$1" = symlink ] && echo 'flags=0x40 ' && return
	echo 'flags=0 '
}
fo_sfx() { [ "$1" = symlink ] && echo '\\000/etc/hosts'; }
for op in unlink:u1 getattr:g1 rmdir:d1/ truncate:t1 symlink:l1 chroot:jail1/ unmount:mnt1/; do
	check "fileops learning: one LEARN event for ${op%%:*}" \
		[ "$(grep -c -- "^LEARN domain=$(id "$ND") .*perm=${op%%:*} mode=1 profile=13 $(fo_tail ${op%%:*})path=$F/${op#*:}$(fo_sfx ${op%%:*})\$" "$E")" = 1 ]
done
fo_setup 1
r=$(fo_all 1)
events
check "fileops learning: a second run learns nothing new" [ "$r" = "$FO_OK" -a "$(nlines '^LEARN')" = 0 ]

"$T" profile "$P" 14 3 reject_log
"$T" domain "$P" "$ND" 14
fo_setup 1
fo_setup 2
"$T" rule "$P" "$ND" "$F/t2" w    # ftruncate/otrunc open for writing first: grant that much
events
r=$(fo_all 1)
events
check "fileops enforcing: the learned operations are allowed, no events" \
	[ "$r" = "$FO_OK" -a "$(nlines '^AUDIT')" = 0 ]
r=$(fo_all 2)
events
check "fileops enforcing: every other object is denied with EPERM" \
	[ "$r" = "$(printf 'ERR EPERM\nERR EPERM\nERR EPERM\nERR EPERM\nERR EPERM\nERR EPERM\nERR EPERM')" ]
check "fileops enforcing: exactly seven AUDIT records" [ "$(nlines '^AUDIT')" = 7 ]
for op in unlink:u2 getattr:g2 rmdir:d2/ truncate:t2 symlink:l2 chroot:jail2/ unmount:mnt2/; do
	check "fileops enforcing: one rejected AUDIT for ${op%%:*}" \
		[ "$(grep -c -- "^AUDIT domain=$(id "$ND") .*perm=${op%%:*} mode=3 profile=14 $(fo_tail ${op%%:*})path=$F/${op#*:}$(fo_sfx ${op%%:*})\$" "$E")" = 1 ]
done
check "fileops enforcing: the denied objects are untouched" \
	[ -e "$F/u2" -a -d "$F/d2" -a -s "$F/t2" -a ! -L "$F/l2" ] && mountpoint -q "$F/mnt2"
r=$(tn ftruncate "$F/t2"; tn otrunc "$F/t2")
events
check "fileops enforcing: ftruncate and open(O_TRUNC) denied as file truncate ($(uname -r))" \
	[ "$r" = "$(printf 'ERR EPERM\nERR EPERM')" -a "$(grep -c "^AUDIT .*perm=truncate mode=3 .*path=$F/t2\$" "$E")" = 2 ]
r=$(echo | tn getattr /proc/self/fd/0)
events
check "fileops enforcing: fstat-like getattr of a pipe is not judged" [ "$r" = OK -a "$(nlines '^AUDIT')" = 0 ]

"$T" profile "$P" 15 2 reject_log
"$T" domain "$P" "$ND" 15
fo_setup 3
events
r=$(fo_all 3)
events
check "fileops permissive: every operation allowed" [ "$r" = "$FO_OK" ]
for op in unlink:u3 getattr:g3 rmdir:d3/ truncate:t3 symlink:l3 chroot:jail3/ unmount:mnt3/; do
	check "fileops permissive: AUDIT for ${op%%:*}" \
		[ "$(grep -c -- "^AUDIT domain=$(id "$ND") .*perm=${op%%:*} mode=2 profile=15 $(fo_tail ${op%%:*})path=$F/${op#*:}$(fo_sfx ${op%%:*})\$" "$E")" = 1 ]
done
check "fileops permissive: nothing learned" no_rule "$ND" "$F/u3"
r=$(tn rmdir "$F/plain3")
events
check "fileops: rmdir of a non-directory is judged as DIR/ (tomoyo_add_slash), then ENOTDIR" \
	[ "$r" = "ERR ENOTDIR" ] && grep -q "^AUDIT .*perm=rmdir mode=2 .*path=$F/plain3/\$" "$E"

"$T" domain "$P" "$ND" 0
fo_setup 4
events
r=$(fo_all 4)
events
check "fileops disabled: everything allowed, no events" [ "$r" = "$FO_OK" -a "$(nlines '^LEARN\|^AUDIT')" = 0 ]
for n in 1 2 3 4; do mountpoint -q "$F/mnt$n" && umount "$F/mnt$n"; done

# ---- 12. file operations with a number or a second path (issue 5) -----------------------------
# create mkdir mkfifo mksock mkchar mkblock chmod chown chgrp ioctl link rename pivot_root, each
# one syscall of "$TN" in ND. The kernel judges the object "NAME\0ARG" (tomoyo_abi.h); tmy_tool
# prints it TOMOYO-encoded, so "$F2/c1\0000640" is the name /.../c1, a NUL, then "0640".
F2=$D/fo2
mkdir -p "$F2"
f2_setup() { # f2_setup N: fresh objects of phase N
	local n=$1
	rm -rf "$F2/c$n" "$F2/oc$n" "$F2/k$n" "$F2/ff$n" "$F2/so$n" "$F2/ch$n" "$F2/bl$n" "$F2/ln$n" "$F2/rn$n.new"
	: > "$F2/m$n"; chmod 0600 "$F2/m$n"; : > "$F2/o$n"; : > "$F2/src$n"; : > "$F2/rn$n"
	echo a > "$F2/xa$n"; echo b > "$F2/xb$n"
	mkdir -p "$F2/pr$n"; mountpoint -q "$F2/pr$n" || mount -t tmpfs none "$F2/pr$n"; mkdir -p "$F2/pr$n/old"
}
f2_all() { # f2_all N: one of each operation on phase N's objects; one line per operation
	local n=$1
	tn create "$F2/c$n" 0640; tn ocreat "$F2/oc$n" 0600; tn mkdir "$F2/k$n" 0750
	tn mkfifo "$F2/ff$n" 0644; tn mksock "$F2/so$n" 0755; tn mkchar "$F2/ch$n" 0644 1 3
	tn mkblock "$F2/bl$n" 0660 7 $n; tn chmod "$F2/m$n" 0604; tn chown "$F2/o$n" 1000 -1
	tn chown "$F2/o$n" -1 1001; tn ioctl /dev/null 0x540$n; tn link "$F2/src$n" "$F2/ln$n"
	tn rename "$F2/rn$n" "$F2/rn$n.new"; tn exchange "$F2/xa$n" "$F2/xb$n"
	tn pivot_root "$F2/pr$n" "$F2/pr$n/old"
}
# the 16 objects of phase N as "perm:OBJECT" (OBJECT TOMOYO-encoded, \000 = the NUL)
f2_objects() {
	local n=$1 f=$F2
	echo "create:$f/c$n\\0000640 create:$f/oc$n\\0000600 mkdir:$f/k$n/\\0000750"
	echo "mkfifo:$f/ff$n\\0000644 mksock:$f/so$n\\0000755 mkchar:$f/ch$n\\0000644\\0401\\0403"
	echo "mkblock:$f/bl$n\\0000660\\0407\\040$n chmod:$f/m$n\\0000604 chown:$f/o$n\\0001000"
	echo "chgrp:$f/o$n\\0001001 ioctl:/dev/null\\0000x540$n link:$f/src$n\\000$f/ln$n"
	echo "rename:$f/rn$n\\000$f/rn$n.new rename:$f/xb$n\\000$f/xa$n rename:$f/xa$n\\000$f/xb$n"
	echo "pivot_root:$f/pr$n/\\000$f/pr$n/old/"
}
letter() { case $1 in create) echo n;; mkdir) echo k;; mkfifo) echo f;; mksock) echo o;; ioctl) echo i;;
	chmod) echo h;; chown) echo O;; chgrp) echo G;; mkblock) echo B;; mkchar) echo H;; link) echo l;;
	rename) echo R;; pivot_root) echo P;; esac; }
ere() { sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"; } # an extended regexp matching $1 literally
same() { [ "$1" = "$2" ] || { echo "     (got: $(paste -sd'|' <<<"$1"))"; return 1; }; }
F2_OK=$(printf 'OK\nOK\nOK\nOK\nOK\nOK\nOK\nOK\nOK\nOK\nERR ENOTTY\nOK\nOK\nOK\nOK')
"$T" gen "$P" 9
"$T" profile "$P" 13 1
"$T" domain "$P" "$ND" 13
f2_setup 1
events
r=$(f2_all 1)
events
check "fileops2 learning: every operation allowed (ioctl: the driver's own ENOTTY)" same "$r" "$F2_OK"
for o in $(f2_objects 1); do
	op=${o%%:*} obj=${o#*:}
	check "fileops2 learning: file $op learned on $obj" has_rule "$ND" "$obj" "$(letter "$op")"
	check "fileops2 learning: one LEARN event for $op $obj" \
		[ "$(grep -cE -- "^LEARN domain=$(id "$ND") .*perm=$op mode=1 profile=13 flags=0 path=$(ere "$obj")\$" "$E")" = 1 ]
done
check "fileops2 learning: chown without a uid learns no chown" no_rule "$ND" "$F2/o1\\0004294967295"
f2_setup 1
r=$(f2_all 1)
events
check "fileops2 learning: a second run learns nothing new" [ "$r" = "$F2_OK" -a "$(nlines '^LEARN')" = 0 ]

"$T" profile "$P" 14 3 reject_log
"$T" domain "$P" "$ND" 14
f2_setup 1
f2_setup 2
events
r=$(f2_all 1)
events
check "fileops2 enforcing: the learned operations are allowed, no events" \
	[ "$r" = "$F2_OK" -a "$(nlines '^AUDIT')" = 0 ]
r=$(f2_all 2)
events
check "fileops2 enforcing: every other object is denied with EPERM" \
	same "$r" "$(for i in $(seq 15); do echo 'ERR EPERM'; done)"
# the exchange stops at its first check (new -> old), so 15 records, not 16
check "fileops2 enforcing: exactly fifteen AUDIT records" [ "$(nlines '^AUDIT')" = 15 ]
for o in $(f2_objects 2); do
	op=${o%%:*} obj=${o#*:}
	[ "$obj" = "$F2/xa2\\000$F2/xb2" ] && continue
	check "fileops2 enforcing: one rejected AUDIT for $op $obj" \
		[ "$(grep -cE -- "^AUDIT domain=$(id "$ND") .*perm=$op mode=3 profile=14 flags=0 path=$(ere "$obj")\$" "$E")" = 1 ]
done
check "fileops2 enforcing: the denied objects are untouched" \
	same "$(ls "$F2" | grep 2 | paste -sd' ') $(stat -c %a "$F2/m2") $(stat -c %u:%g "$F2/o2") $(cat "$F2/xa2")" \
	"m2 o2 pr2 rn2 src2 xa2 xb2 600 0:0 a"
"$T" rule "$P" "$ND" "$F2/o2\\0001000" O
r=$(tn chown "$F2/o2" 1000 1001)
events
ok=0
[ "$r" = "ERR EPERM" -a "$(nlines '^AUDIT')" = 1 ] && grep -q "^AUDIT .*perm=chgrp mode=3 .*path=$F2/o2\\\\0001001\$" "$E" && ok=1
check "fileops2 enforcing: chown uid+gid with only the chown rule: chgrp denied after chown passed" [ $ok = 1 ]
rmdir "$F2/k1"
r=$(tn mkdir "$F2/k1" 0700)
events
ok=0
[ "$r" = "ERR EPERM" ] && grep -q "^AUDIT .*perm=mkdir .*path=$F2/k1/\\\\0000700\$" "$E" && ok=1
check "fileops2 enforcing: the mode is part of the object (mkdir 0700 after learning 0750)" [ $ok = 1 ]
r=$(echo | tn ioctl-stdin 0x541B)
events
check "fileops2 enforcing: ioctl on a pipe is not judged (FIONREAD works)" [ "$r" = "OK" -a "$(nlines '^AUDIT')" = 0 ]

"$T" profile "$P" 15 2 reject_log
"$T" domain "$P" "$ND" 15
f2_setup 3
events
r=$(f2_all 3)
events
check "fileops2 permissive: every operation allowed" same "$r" "$F2_OK"
for o in $(f2_objects 3); do
	op=${o%%:*} obj=${o#*:}
	check "fileops2 permissive: AUDIT for $op $obj" \
		[ "$(grep -cE -- "^AUDIT domain=$(id "$ND") .*perm=$op mode=2 profile=15 flags=0 path=$(ere "$obj")\$" "$E")" = 1 ]
done
check "fileops2 permissive: nothing learned" no_rule "$ND" "$F2/c3\\0000640"

"$T" domain "$P" "$ND" 0
f2_setup 4
events
r=$(f2_all 4)
events
check "fileops2 disabled: everything allowed" same "$r" "$F2_OK"
check "fileops2 disabled: no events" [ "$(nlines '^LEARN\|^AUDIT')" = 0 ]
for n in 1 2 3 4; do mountpoint -q "$F2/pr$n" && umount "$F2/pr$n"; done

# ---- 13. mount (issue 5) ----------------------------------------------------------------------
# TOMOYO's "file mount DEV DIR TYPE FLAGS", judged on the object "DIR\0TYPE\0FLAGS\0DEV"
# (tomoyo_fileops.bpf.c "mount"). The key is the whole object, or "DIR\0TYPE\0FLAGS" where
# TOMOYO ignores the device (--remount, --make-*). Per phase N: a tmpfs mount, its remount, its
# make-private, a bind of a directory, and a mount with two propagation flags (EINVAL before any
# check, as TOMOYO does, in every mode but disabled; the kernel refuses it anyway).
F3=$D/fo3
mkdir -p "$F3"
f3_setup() { # f3_setup N: phase N's directories, nothing mounted on them
	local n=$1
	for m in "$F3/b$n" "$F3/t$n" "$F3/t$n"; do mountpoint -q "$m" && umount "$m"; done
	mkdir -p "$F3/t$n" "$F3/b$n" "$F3/src$n"
}
f3_all() {
	local n=$1
	tn mount none "$F3/t$n" tmpfs 0; tn mount - "$F3/t$n" - 0x20; tn mount - "$F3/t$n" - 0x40000
	tn mount "$F3/src$n" "$F3/b$n" - 0x1000; tn mount - "$F3/t$n" - 0x60000
}
# "KEY|EVENT PATH" of each judged mount of phase N (TOMOYO-encoded, \000 = a NUL)
f3_objects() {
	local n=$1 f=$F3
	echo "$f/t$n/\\000tmpfs\\0000x0\\000none|$f/t$n/\\000tmpfs\\0000x0\\000none"
	echo "$f/t$n/\\000--remount\\0000x0|$f/t$n/\\000--remount\\0000x0\\000<NULL>"
	echo "$f/t$n/\\000--make-private\\0000x0|$f/t$n/\\000--make-private\\0000x0\\000<NULL>"
	echo "$f/b$n/\\000--bind\\0000x0\\000$f/src$n|$f/b$n/\\000--bind\\0000x0\\000$f/src$n"
}
F3_OK=$(printf 'OK\nOK\nOK\nOK\nERR EINVAL')
"$T" gen "$P" 10
"$T" profile "$P" 13 1
"$T" domain "$P" "$ND" 13
f3_setup 1
events
r=$(f3_all 1)
events
check "mount learning: every mount allowed (two propagation flags: EINVAL)" same "$r" "$F3_OK"
for o in $(f3_objects 1); do
	key=${o%%|*} path=${o#*|}
	check "mount learning: file mount learned under $key" has_rule "$ND" "$key" M
	check "mount learning: one LEARN event for $path" \
		[ "$(grep -cE -- "^LEARN domain=$(id "$ND") .*perm=mount mode=1 profile=13 flags=0 path=$(ere "$path")\$" "$E")" = 1 ]
done
# TOMOYO ignores a tmpfs device, but the kernel cannot tell a device-less type: user space does
check "mount learning: the tmpfs mount is learned with its device" no_rule "$ND" "$F3/t1/\\000tmpfs\\0000x0"
check "mount learning: four LEARN events for mounts" [ "$(nlines '^LEARN .*perm=mount ')" = 4 ]
f3_setup 1
r=$(f3_all 1)
events
check "mount learning: a second run learns nothing new" [ "$r" = "$F3_OK" -a "$(nlines '^LEARN')" = 0 ]

"$T" profile "$P" 14 3 reject_log
"$T" domain "$P" "$ND" 14
f3_setup 1
f3_setup 2
events
r=$(f3_all 1)
events
check "mount enforcing: the learned mounts are allowed, no events" [ "$r" = "$F3_OK" -a "$(nlines '^AUDIT')" = 0 ]
r=$(f3_all 2)
events
check "mount enforcing: every other mount is denied with EPERM" \
	same "$r" "$(printf 'ERR EPERM\nERR EPERM\nERR EPERM\nERR EPERM\nERR EINVAL')"
check "mount enforcing: exactly four AUDIT records" [ "$(nlines '^AUDIT')" = 4 ]
for o in $(f3_objects 2); do
	path=${o#*|}
	check "mount enforcing: one rejected AUDIT for $path" \
		[ "$(grep -cE -- "^AUDIT domain=$(id "$ND") .*perm=mount mode=3 profile=14 flags=0 path=$(ere "$path")\$" "$E")" = 1 ]
done
not_mounted() { ! mountpoint -q "$1"; }
check "mount enforcing: nothing was mounted" not_mounted "$F3/t2"
# a rule on "DIR\0TYPE\0FLAGS" (what user space writes for a device-less type) grants any device
"$T" rule "$P" "$ND" "$F3/t2/\\000tmpfs\\0000x0" M
# a --bind source named as a directory, as TOMOYO names it, grants the source given without '/'
"$T" rule "$P" "$ND" "$F3/b2/\\000--bind\\0000x0\\000$F3/src2/" M
r=$(tn mount anything "$F3/t2" tmpfs 0; tn mount "$F3/src2" "$F3/b2" - 0x1000; tn mount none "$F3/t2" tmpfs 1)
events
check "mount enforcing: device-less rule and directory source allowed; other flags denied" \
	same "$r" "$(printf 'OK\nOK\nERR EPERM')"
ok=0
[ "$(nlines '^AUDIT')" = 1 ] && grep -q "^AUDIT .*perm=mount mode=3 .*path=$F3/t2/\\\\000tmpfs\\\\0000x1\\\\000none\$" "$E" && ok=1
check "mount enforcing: ... and only the last one logged" [ $ok = 1 ]

"$T" profile "$P" 15 2 reject_log
"$T" domain "$P" "$ND" 15
f3_setup 3
events
r=$(f3_all 3)
events
check "mount permissive: every mount allowed" same "$r" "$F3_OK"
for o in $(f3_objects 3); do
	path=${o#*|}
	check "mount permissive: AUDIT for $path" \
		[ "$(grep -cE -- "^AUDIT domain=$(id "$ND") .*perm=mount mode=2 profile=15 flags=0 path=$(ere "$path")\$" "$E")" = 1 ]
done
check "mount permissive: nothing learned" no_rule "$ND" "$F3/t3/\\000tmpfs\\0000x0\\000none"

"$T" domain "$P" "$ND" 0
f3_setup 4
events
r=$(f3_all 4)
events
check "mount disabled: everything allowed but the flags the kernel refuses" same "$r" "$F3_OK"
check "mount disabled: no events" [ "$(nlines '^LEARN\|^AUDIT')" = 0 ]
for n in 1 2 3 4; do f3_setup $n; done

echo "--- counters"
"$T" stats "$P"
rm -rf "$P" "$D"
echo "vm-smoke: $checks checks, $fails failed ($(uname -r))"
[ "$fails" = 0 ]
