#!/bin/bash
# Issue 5's scale benchmark, kernel half: does the size of a domain's policy change what the
# kernel pays? Measured side by side in one boot:
#   vagrant/vmtest [--kernel 6.1|6.12] -- bpf/bench/scale-in-vm.sh [ROUNDS]
# (after `mvn -B -ntp -o -DskipTests package`). Environment: OPEN_OPS (default 20000 open+close
# and as many stat per case), BIG (default 100000 exact rules), SMALL (10), PATTERNS (300),
# OTHERS (300 other domains).
#
# The benchmark (bpf/bench/syscall_bench) learns its own accesses first, as run-in-vm.sh does,
# and its domain is set enforcing. Two policies are then made from the learned one (awk, in the
# guest; the shapes are those of policy-maps' ScalePolicy): its domain gets SMALL or BIG more exact
# file rules, and both get the same PATTERNS pattern rules (\*, \$, /\{\*\}/, \X, \@,
# @path_group) plus the two that matter here: `file read/getattr DIR/p/\*.log` (the only rule
# that allows the "pattern" file) and OTHERS small domains. Each round loads one policy, then the
# other (alternating which goes first), and after each load measures
#   - the wall time of `tomoyoctl policy load` (client JVM start, parse, compile, map writes, old
#     generation deleted, policy files saved: everything a user waits for),
#   - /proc/meminfo Slab, SUnreclaim and Percpu, and bpftool's memlock of the tmy_* maps,
#   - syscall_bench: open+close and stat of a tmpfs file an exact rule allows ("exact"), and of
#     one only the pattern rule allows ("pattern").
# Prints ns/op per case and the ratio BIG/SMALL, load times and memory per rule. A benchmark, not
# a test: under software emulation (TCG) absolute numbers are slow, the ratios are what to read.
set -eu
rounds=${1:-3}
big=${BIG:-100000}
small=${SMALL:-10}
npat=${PATTERNS:-300}
others=${OTHERS:-300}
repo=$(cd "$(dirname "$0")/../.." && pwd)
T="$repo/tomoyoctl"
bench_src="$repo/bpf/target/obj/bench/syscall_bench"
[ -x "$bench_src" ] || { echo "build first: mvn -DskipTests package" >&2; exit 2; }
command -v bpftool > /dev/null || { echo "bpftool is needed (apt-get install bpftool)" >&2; exit 2; }
work=$(mktemp -d /tmp/tomoyoctl-scale.XXXXXX)
bench="$work/syscall_bench"
cp "$bench_src" "$bench"
# tmpfs files to open, so the numbers are not those of the 9p share.
mkdir -p "$work/t"; mount -t tmpfs tmpfs "$work/t"
mkdir "$work/t/p"; echo x > "$work/t/file"; echo x > "$work/t/p/bench.log"
ops=${OPEN_OPS:-20000}
args=(--open "$ops" --stat "$ops" --exec 1 --prog /usr/bin/true)

start_daemon() {
	"$T" daemon --policy-dir "$work/policy" --log-dir "$work/log" >> "$work/daemon.log" 2>&1 &
	for _ in $(seq 900); do "$T" status > /dev/null 2>&1 && return 0; sleep 0.1; done
	echo "daemon did not start" >&2; cat "$work/daemon.log" >&2; exit 1
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# 1. Learn the benchmark on the exact file only (the pattern file is never learned), enforce.
start_daemon
"$T" learn -- "$bench" "${args[@]}" --open 100 --stat 100 --path "$work/t/file" > /dev/null
domain="<kernel> $bench"
"$T" profile set 3 "$domain" -r > /dev/null
"$T" policy save "$work/learned" > /dev/null
# A domain's block runs to the next header (TOMOYO prints a blank line between use_profile and the rules).
learned_rules=$(awk -v d="$domain" '/^<kernel>/ { in_d = ($0 == d); next }
	in_d && /^(file|network|capability|ipc|misc) / { n++ } END { print n + 0 }' "$work/learned/domain_policy.conf")

# 2. The two policies. Pattern shapes as in ScalePolicy.pattern(j); exact paths as exactPath(i).
patterns() {
	awk -v n="$npat" -v dir="$work/t/p" 'BEGIN {
		printf "file read/getattr %s/\\*.log\n", dir
		for (j = 0; j < n; j++) {
			ops = (j % 3 == 0) ? "read/write" : "read"; k = j % 6
			if (k == 0) p = "/var/log/bench" j "/\\*.log"
			else if (k == 1) p = "/run/bench" j "/\\$.pid"
			else if (k == 2) p = "/srv/tree" j "/\\{\\*\\}/\\*"
			else if (k == 3) p = "/var/cache/bench" j "/obj-\\X.bin"
			else if (k == 4) p = "/home/bench" j "/\\@.conf"
			else p = "@BENCH_GROUP" j
			print "file " ops " " p
		} }'
}
exact_rules() {
	awk -v n="$1" 'BEGIN { split("read read/write read/write/append getattr/read append read/unlink write/truncate getattr", op, " ")
		for (i = 0; i < n; i++) printf "file %s /srv/bench/d%03d/file-%06d.dat\n", op[i % 8 + 1], int(i / 1000), i }'
}
other_domains() {
	awk -v n="$others" -v d="$domain" 'BEGIN { for (k = 0; k < n; k++) {
		printf "%s /usr/libexec/bench/worker%d\nuse_profile 3\n", d, k
		printf "file execute /usr/libexec/bench/helper%d\nfile read /etc/bench/worker%d.conf\n", k, k
		printf "file read/write /var/lib/bench/worker%d/state\nfile append /var/log/bench/worker%d.log\n", k, k
		printf "file read /var/lib/bench/worker%d/\\*.dat\nfile getattr /proc/\\$/stat\n\n", k } }'
}
make_policy() { # DIR EXACT-COUNT
	mkdir -p "$1"
	cp "$work/learned/"*.conf "$1/"
	{ patterns; exact_rules "$2"; } > "$work/extra"
	# The extra rules go at the end of the benchmark domain's block (before the next header).
	awk -v d="$domain" -v extra="$work/extra" '
		function flush() { while ((getline l < extra) > 0) print l; close(extra); print "" }
		/^<kernel>/ && in_d { flush(); in_d = 0 }
		$0 == d { in_d = 1 }
		{ print }
		END { if (in_d) flush() }' "$work/learned/domain_policy.conf" > "$1/domain_policy.conf"
	other_domains >> "$1/domain_policy.conf"
	awk -v n="$npat" 'BEGIN { for (j = 5; j < n; j += 6) {
		printf "path_group BENCH_GROUP%d /etc/bench%d/main.conf\n", j, j
		printf "path_group BENCH_GROUP%d /etc/bench%d/conf.d/\\*.conf\n", j, j } }' >> "$1/exception_policy.conf"
}
make_policy "$work/small" "$small"
make_policy "$work/big" "$big"
echo "policies: benchmark domain has $learned_rules learned rules + $small or $big exact + $((npat + 1)) pattern rules;" \
	"$others other domains x 6 rules; $(wc -l < "$work/big/domain_policy.conf") lines in the big domain_policy.conf" >&2

# 3. Measurements.
declare -A sum
meminfo() { awk '$1 == "Slab:" { s = $2 } $1 == "SUnreclaim:" { u = $2 } $1 == "Percpu:" { p = $2 }
	END { print s, u, p }' /proc/meminfo; }
memlock() { # bytes: tmy_path_rules, tmy_dfa, all tmy_* maps
	bpftool -j map show | jq -r '[.[] | select(.name | startswith("tmy_"))] |
		"\(map(select(.name == "tmy_path_rules").bytes_memlock) | add // 0) \(map(select(.name == "tmy_dfa").bytes_memlock) | add // 0) \(map(.bytes_memlock) | add // 0)"'
}
timed() { # KEY COMMAND...: adds COMMAND's wall time to sum[KEY]
	local key=$1 t0 t1; shift
	t0=$(now_ms); "$@" > "$work/cmd.out"; t1=$(now_ms)
	sum[$key]=$(( ${sum[$key]:-0} + t1 - t0 ))
}
memory() { # CASE: kernel memory with CASE's policy in force
	sleep 2 # let RCU free the deleted generation first
	sync; echo 2 > /proc/sys/vm/drop_caches # dentries/inodes: fewer reclaimable slab objects of earlier steps
	local s u p a b c
	read -r s u p < <(meminfo)
	sum[$1.slab]=$(( ${sum[$1.slab]:-0} + s )); sum[$1.sunreclaim]=$(( ${sum[$1.sunreclaim]:-0} + u ))
	sum[$1.percpu]=$(( ${sum[$1.percpu]:-0} + p ))
	read -r a b c < <(memlock)
	sum[$1.ml_path]=$a; sum[$1.ml_dfa]=$b; sum[$1.ml_all]=$c
	if [ ! -e "$work/slabinfo.$1" ]; then # first round: which slab caches hold the rules, and how many
		awk 'NR > 2 { print $1, $3 * $4 }' /proc/slabinfo > "$work/slabinfo.$1" # name, num_objs * objsize
		bpftool -j map dump name tmy_path_rules | jq length > "$work/entries.$1"
	fi
}
run() { # CASE FILE-KIND PATH
	local op kv
	while read -r op kv _; do
		sum[$1.$2.$op]=$(( ${sum[$1.$2.$op]:-0} + ${kv#ns_per_op=} ))
	done < <("$bench" "${args[@]}" --path "$3")
}
# Warm-up (not measured): the daemon's JIT, and the state every round starts from (big in force).
"$T" policy load "$work/big" > /dev/null; "$T" policy load "$work/small" > /dev/null; "$T" policy load "$work/big" > /dev/null
# Each round, in this order (so each load replaces the same thing every round):
#   status (client JVM start + one request: the floor of any tomoyoctl command),
#   small replacing big (writes ~1k entries, deletes ~100k), small replacing small (the fixed
#   cost of a load), memory + syscall_bench with small, big replacing small (writes ~100k,
#   deletes ~1k), memory + syscall_bench with big.
for r in $(seq "$rounds"); do
	timed status_ms "$T" status
	timed small_over_big_ms "$T" policy load "$work/small"
	timed small_over_small_ms "$T" policy load "$work/small"
	memory small
	run small exact "$work/t/file"; run small pattern "$work/t/p/bench.log"
	timed big_over_small_ms "$T" policy load "$work/big"
	memory big
	run big exact "$work/t/file"; run big pattern "$work/t/p/bench.log"
	echo "round $r done: load big over small $(( sum[big_over_small_ms] / r )) ms, small over small" \
		"$(( sum[small_over_small_ms] / r )) ms (means so far)" >&2
done
# A denial makes syscall_bench exit 2 (and this script, set -e); still, count the rejected records.
denied=$(cat "$work/log/"reject_*.log 2> /dev/null | grep -c '^#' || true)
"$T" unload > /dev/null

echo "kernel $(uname -r), $(nproc) CPUs, $rounds rounds; benchmark domain: $learned_rules learned rules +" \
	"$small or $big exact + $((npat + 1)) pattern rules; $others other domains; $ops ops per case"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '%-10s %-8s %14s %14s %10s\n' operation file "${small}_rules_ns" "${big}_rules_ns" ratio
for op in open_close stat; do
	for kind in exact pattern; do
		s=$(( sum[small.$kind.$op] / rounds )); b=$(( sum[big.$kind.$op] / rounds ))
		printf '%-10s %-8s %14d %14d %10s\n' "$op" "$kind" "$s" "$b" "$(ratio "$b" "$s")"
	done
done
echo
echo "wall time of tomoyoctl commands, ms (mean of $rounds):"
for k in status small_over_small small_over_big big_over_small; do
	printf '  %-40s %8d\n' "$k" $(( sum[${k}_ms] / rounds ))
done
echo
printf '%-34s %14s %14s\n' "kernel memory, policy in force:" "$small rules" "$big rules"
for k in slab sunreclaim percpu; do
	printf '%-34s %14d %14d\n' "  meminfo $k kB (mean)" $(( sum[small.$k] / rounds )) $(( sum[big.$k] / rounds ))
done
printf '%-34s %14d %14d\n' "  memlock tmy_path_rules, bytes" "${sum[small.ml_path]}" "${sum[big.ml_path]}"
printf '%-34s %14d %14d\n' "  memlock tmy_dfa, bytes" "${sum[small.ml_dfa]}" "${sum[big.ml_dfa]}"
printf '%-34s %14d %14d\n' "  memlock all tmy_* maps, bytes" "${sum[small.ml_all]}" "${sum[big.ml_all]}"
extra=$(( big - small ))
per_kb() { awk -v a="$1" -v b="$2" -v n="$extra" -v r="$rounds" 'BEGIN { printf "%.0f", (a - b) * 1024 / n / r }'; }
per_ms() { awk -v a="$1" -v b="$2" -v n="$extra" -v r="$rounds" 'BEGIN { printf "%.1f", (a - b) * 1000 / n / r }'; }
echo
echo "per extra rule ($extra rules):" \
	"load $(per_ms "${sum[big_over_small_ms]}" "${sum[small_over_small_ms]}") us to write," \
	"$(per_ms "${sum[small_over_big_ms]}" "${sum[small_over_small_ms]}") us to delete;" \
	"Slab $(per_kb "${sum[big.slab]}" "${sum[small.slab]}") B," \
	"SUnreclaim $(per_kb "${sum[big.sunreclaim]}" "${sum[small.sunreclaim]}") B," \
	"Slab+Percpu $(per_kb $(( sum[big.slab] + sum[big.percpu] )) $(( sum[small.slab] + sum[small.percpu] ))) B," \
	"memlock $(awk -v a="${sum[big.ml_all]}" -v b="${sum[small.ml_all]}" -v n="$extra" 'BEGIN { printf "%.0f", (a - b) / n }') B"
echo "tmy_path_rules entries (bpftool map dump, round 1): $(cat "$work/entries.small") with $small rules," \
	"$(cat "$work/entries.big") with $big rules"
echo "slab caches that grew most from $small to $big rules (round 1; bytes = num_objs * objsize):"
awk 'NR == FNR { s[$1] = $2; next } { d = $2 - s[$1]; if (d > 0) print d, $1 }' "$work/slabinfo.small" "$work/slabinfo.big" |
	sort -rn | head -6 | awk -v n="$extra" '{ printf "  %-28s %+12d bytes  %6.1f B per extra rule\n", $2, $1, $1 / n }'
echo "rejected audit records: $denied"
umount "$work/t"
