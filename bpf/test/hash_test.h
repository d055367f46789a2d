/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context of the `syscall` program in test/hash.bpf.c (run with BPF_PROG_TEST_RUN, ctx_in =
 * ctx_out = this struct). It exercises the exact hashing and rule-lookup code of the LSM programs
 * (include/tmy_hash.bpf.h, include/tmy_policy.bpf.h) on this machine's own kernel, without an
 * LSM attach point. Plain C: include after <linux/types.h> (user space) or vmlinux.h (BPF).
 *
 * Layout is fixed-width and explicitly padded; total size 4688 bytes (prefix at 80, path at 592).
 * Run it with ctx_in only: a `syscall` program writes the context back into ctx_in (the kernel
 * refuses ctx_out for this program type).
 */
#ifndef TMY_HASH_TEST_H
#define TMY_HASH_TEST_H

#define TMY_HASH_TEST_PREFIXES 64

struct tmy_hash_test {
	/* ---- in ---- */
	__u64 parent;          /* a domain id; child = fold(parent, path_hash) */
	__u64 rule_domain;     /* domain whose tmy_path_rules are consulted */
	__u32 path_len;        /* bytes of path[] used, 0..4096 */
	__u32 generation;      /* generation of the rule keys */
	__u32 subtree_depths;  /* as tmy_domain_val.subtree_depths */
	__u32 want;            /* TMY_PERM_* asked for (0: skip the rule lookup) */
	/* ---- out ---- */
	__u64 path_hash;       /* FNV-1a 64 of path[0..path_len) */
	__u64 child;           /* domain id of parent + " " + path */
	__u64 root;            /* FNV-1a 64 of '<' + path + '>' */
	__u32 prefix_count;    /* '/' boundaries recorded (all of them unless TMY_NAME_DEEP) */
	__u32 name_flags;      /* TMY_NAME_* */
	__u32 granted;         /* TMY_PERM_* granted by exact | subtree rules (of `want`) */
	__u32 matched;         /* bit 0: exact rule matched, bit 1: some subtree rule matched */
	__s32 err;             /* 0, or -errno from the program (bad length, no scratch) */
	__u32 dfa;             /* in: tmy_domain_val.dfa of the rule domain (the automaton in this
	                        * object's tmy_dfa), 0 for none */
	__u64 prefix[TMY_HASH_TEST_PREFIXES]; /* the first 64 prefix hashes */
	char  path[4096];      /* TMY_PATH_MAX */
};

#endif
