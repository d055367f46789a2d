#!/bin/bash
# Native (no VM) test of the kernel side's shared code: builds the objects and tmy_tool, then runs
# test/hash.bpf.o (the LSM programs' hashing and rule-lookup code, as a `syscall` program) with
# BPF_PROG_TEST_RUN against the vectors shared with the Java side, plus prefix, length-boundary,
# deep-name and exact/subtree lookup cases. Needs root (BPF) and the BPF build tools.
#   bpf/test/native-selftest.sh [VECTORS.tsv]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vectors=${1:-$here/../../policy-maps/src/test/resources/hash-vectors.tsv}
make -s -C "$here/.." test-tools
exec "$here/../target/obj/test/tmy_tool" selftest "$vectors"
