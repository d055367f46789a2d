#!/bin/bash
# The learn-then-enforce walkthrough: the README's main job. Runs as root inside the test VM
# (vagrant/vmtest -- vagrant/walkthrough.sh) after the build, and says what it shows at each step.
# It exits non-zero as soon as the kernel does something other than what the step promises.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
T="$repo/tomoyoctl"
work=$(mktemp -d /tmp/tomoyoctl-walkthrough.XXXXXX)
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
fail() { printf '\nWALKTHROUGH FAILED: %s\n' "$*"; [ -f "$work/daemon.log" ] && tail -n 30 "$work/daemon.log"; exit 1; }

step "0. The kernel: $(uname -r), active LSMs: $(cat /sys/kernel/security/lsm)"
grep -q bpf /sys/kernel/security/lsm || fail "bpf is not an active LSM"

# A small "service": reads its configuration, writes its state, appends to its log, runs helpers.
mkdir -p "$work/etc" "$work/var"
echo "greeting=hello" > "$work/etc/service.conf"
cat > "$work/service.sh" <<EOF
#!/bin/sh
export LC_ALL=C
conf=\$(cat $work/etc/service.conf)
date > $work/var/state
echo "\$conf" >> $work/var/service.log
if [ "\${1:-}" = --peek ]; then cat /etc/shadow || exit 1; fi
exit 0
EOF
chmod 755 "$work/service.sh"
domain="<kernel> $work/service.sh"

step "1. Start the daemon (policy in $work/policy, logs in $work/log)"
"$T" daemon --policy-dir "$work/policy" --log-dir "$work/log" > "$work/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
"$T" status > "$work/status" || fail "the daemon did not come up"
grep -E '^(kernel|policy)\.[a-z]+:' "$work/status" | grep -v '^kernel.stats' | head -12

step "2. Learn: run the service once as the root of a fresh domain in learning mode"
say "tomoyoctl learn -- $work/service.sh"
"$T" learn -- "$work/service.sh" || fail "learn failed"

step "3. The domains the exec history created"
"$T" domains --flat | grep -F "$work/service.sh" || fail "no domain for the service"

step "4. Enforce: profile 3 for the service's domain and everything below it"
"$T" profile set 3 "$domain" -r || fail "profile set failed"

step "5. The service runs unchanged under enforcement"
"$work/service.sh" && say "service.sh exited 0" || fail "the learned service no longer runs"

step "6. One access it never made is denied"
if out=$("$work/service.sh" --peek 2>&1); then fail "reading /etc/shadow was allowed: $out"; fi
say "$out"
echo "$out" | grep -q "Operation not permitted" || fail "expected EPERM"

step "7. ... and audited, in TOMOYO's audit format"
sleep 1
cat "$work"/log/reject_*.log || fail "no reject log"

step "8. Stop the daemon with SIGKILL: the kernel keeps enforcing on its own"
kill -9 "$daemon"; wait "$daemon" 2>/dev/null
if "$work/service.sh" --peek > /dev/null 2>&1; then fail "enforcement stopped with the daemon"; fi
say "still denied with no daemon running; pinned state: $(ls /sys/fs/bpf/tomoyoctl | tr '\n' ' ')"

step "9. Restart the daemon: it adopts the pinned programs and keeps every learned rule"
"$T" daemon --policy-dir "$work/policy" --log-dir "$work/log" >> "$work/daemon.log" 2>&1 &
for _ in $(seq 600); do "$T" status > /dev/null 2>&1 && break; sleep 0.1; done
"$T" policy show "$domain" | sed -n '1,40p'

step "10. Unload: programs detached, pins removed, access back to normal"
"$T" unload || fail "unload failed"
sleep 1
"$work/service.sh" --peek > /dev/null 2>&1 && say "/etc/shadow readable again" || fail "still denied after unload"

printf '\nWALKTHROUGH OK\n'
