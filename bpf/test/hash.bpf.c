// SPDX-License-Identifier: GPL-2.0
/*
 * A `syscall` program (BPF_PROG_TEST_RUN, no attach point) that runs the LSM programs' own
 * hashing and rule-lookup code (include/tmy_hash.bpf.h, include/tmy_policy.bpf.h) on a name given
 * in the context, so that code can be tested on a kernel that refuses LSM programs. It has its
 * own private copies of the tomoyo maps: fill tmy_path_rules of THIS object to test lookups.
 * Context: struct tmy_hash_test (test/hash_test.h), in and out.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#define TMY_MAPS_OWNER
#include "tmy_maps.bpf.h"
#include "tmy_hash.bpf.h"
#include "tmy_policy.bpf.h"
#include "hash_test.h"

char LICENSE[] SEC("license") = "GPL";

SEC("syscall")
int tmy_hash_test(struct tmy_hash_test *ctx)
{
	struct tmy_name n = {};
	struct tmy_scratch *s;
	__u32 slot = 0, len = ctx->path_len, matched = 0, want = ctx->want;

	ctx->err = 0;
	if (len > TMY_PATH_MAX) {
		ctx->err = -TMY_EINVAL;
		return 0;
	}
	s = tmy_scratch_get(&slot);
	if (!s) {
		ctx->err = -TMY_ENOMEM;
		return 0;
	}
	/* The name sits at offset 0 like bpf_d_path's result; copy it whole (fixed size). */
	bpf_probe_read_kernel(s->path, TMY_PATH_MAX, ctx->path);
	n.off = 0;
	n.len = len;
	tmy_hash_name(s, &n);
	ctx->path_hash = n.hash;
	ctx->root = n.root;
	ctx->child = tmy_domain_child(ctx->parent, n.hash);
	ctx->prefix_count = n.nprefix;
	ctx->name_flags = n.flags;
	/* ctx accepts only constant offsets: copy the first prefixes unrolled */
#pragma unroll
	for (int i = 0; i < TMY_HASH_TEST_PREFIXES; i++)
		ctx->prefix[i] = s->prefix[i];
	ctx->granted = 0;
	ctx->matched = 0;
	if (want) {
		struct tmy_dom d = {
			.domain = ctx->rule_domain, .gen = ctx->generation,
			.depths = ctx->subtree_depths, .mode = TMY_MODE_ENFORCING, .dfa = ctx->dfa,
		};

		ctx->granted = tmy_rule_lookup(s, &d, &n, n.hash, TMY_CHECK_SUBTREE, want, &matched);
		ctx->matched = matched;
	}
	tmy_scratch_put(s);
	return 0;
}
