#!/bin/bash
# The cost of the programs on the operations they hook, measured side by side in one boot:
#   vagrant/vmtest -- bpf/bench/run-in-vm.sh [ROUNDS]
# (after `mvn -DskipTests package`). Each round runs syscall_bench
#   - with no programs attached (baseline),
#   - attached, the benchmark's domain in profile 0 (disabled: the hooks only find the profile),
#   - attached, the benchmark's domain enforcing with its learned rules (every open, stat and
#     exec is checked and allowed),
# and the rounds alternate so drift hits all three alike. Prints ns/op per case and the ratios
# to the baseline. A benchmark, not a test: under software emulation (TCG) absolute numbers are
# slow, the ratios are what to read.
set -eu
rounds=${1:-3}
repo=$(cd "$(dirname "$0")/../.." && pwd)
T="$repo/tomoyoctl"
bench_src="$repo/bpf/target/obj/bench/syscall_bench"
[ -x "$bench_src" ] || { echo "build first: mvn -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/tomoyoctl-bench.XXXXXX)
bench="$work/syscall_bench"
cp "$bench_src" "$bench"
# A tmpfs file to open, so the numbers are not those of the 9p share.
mkdir -p "$work/t"; mount -t tmpfs tmpfs "$work/t"; echo x > "$work/t/file"
args=(--open "${OPEN_OPS:-20000}" --stat "${STAT_OPS:-20000}" --exec "${EXEC_OPS:-100}" --path "$work/t/file" --prog /usr/bin/true)

start_daemon() {
	"$T" daemon --policy-dir "$work/policy" --log-dir "$work/log" >> "$work/daemon.log" 2>&1 &
	for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && return 0; sleep 0.1; done
	echo "daemon did not start" >&2; cat "$work/daemon.log" >&2; exit 1
}

# Learn the benchmark once, so enforcing allows everything it does.
start_daemon
"$T" learn -- "$bench" "${args[@]}" --open 100 --stat 100 --exec 2 > /dev/null
domain="<kernel> $bench"

declare -A sum
run() { # case-name -> accumulates ns/op per operation
	while read -r op kv _; do
		sum[$1.$op]=$(( ${sum[$1.$op]:-0} + ${kv#ns_per_op=} ))
	done < <("$bench" "${args[@]}")
}
for r in $(seq "$rounds"); do
	"$T" unload > /dev/null
	run baseline
	start_daemon
	"$T" profile set 0 "$domain" -r > /dev/null
	run disabled
	"$T" profile set 3 "$domain" -r > /dev/null
	run enforcing
	echo "round $r done" >&2
done
"$T" unload > /dev/null

echo "kernel $(uname -r), $rounds rounds, ${args[*]}"
printf '%-16s %14s %14s %14s %10s %10s\n' operation baseline_ns disabled_ns enforcing_ns disabled_x enforcing_x
for op in open_close stat fork_exec_wait; do
	b=$(( sum[baseline.$op] / rounds )); d=$(( sum[disabled.$op] / rounds )); e=$(( sum[enforcing.$op] / rounds ))
	printf '%-16s %14d %14d %14d %10s %10s\n' "$op" "$b" "$d" "$e" \
		"$(awk -v a="$d" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" \
		"$(awk -v a="$e" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
done
umount "$work/t"
