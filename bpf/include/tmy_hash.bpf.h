/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Identities (see tomoyo_abi.h): FNV-1a 64 path hashes and domain ids, computed over a name in a
 * per-CPU scratch buffer in ONE pass that also records the hash state after every '/' (the keys
 * of TMY_MATCH_SUBTREE rules). Used by the LSM programs and, unchanged, by test/hash.bpf.c,
 * which runs natively with BPF_PROG_TEST_RUN against the shared test vectors.
 *
 * Include after tmy_maps.bpf.h.
 */
#ifndef TMY_HASH_BPF_H
#define TMY_HASH_BPF_H

#define TMY_FNV_STEP(h, c) ((((__u64)(h)) ^ (__u64)(__u8)(c)) * TMY_FNV64_PRIME)

/* Folds the 8 little-endian bytes of v into h (domain id of a child: fold(parent, pathHash)). */
static __always_inline __u64 tmy_fnv_fold_u64(__u64 h, __u64 v)
{
#pragma unroll
	for (int i = 0; i < 8; i++)
		h = TMY_FNV_STEP(h, v >> (8 * i));
	return h;
}

static __always_inline __u64 tmy_domain_child(__u64 parent, __u64 program)
{
	return tmy_fnv_fold_u64(parent, program);
}


struct tmy_hash_loop {
	struct tmy_scratch *s;
	__u32 off, len;
};

/*
 * One 8-byte word of the name per call (state in s->ls). Branch-free per byte:
 *  - bytes past the end of the name (the tail of the last word) are masked out;
 *  - after every byte the current state is stored in prefix[cnt]; a '/' then advances cnt, which
 *    freezes that slot as the hash of the prefix ending in '/'. cnt stops at TMY_PREFIX_MAX - 1
 *    (the last slot is a sink), so the index stays in bounds.
 */
static long tmy_hash_word(__u32 w, struct tmy_hash_loop *c)
{
	struct tmy_scratch *s = c->s;
	__u32 base = w * 8;
	__u64 h, r, cnt, total, word;
	__s64 rem;

	if (!s || base >= c->len)
		return 1;
	h = s->ls.h;
	r = s->ls.r;
	cnt = s->ls.cnt;
	total = s->ls.total;
	/* Unaligned 8-byte load; fine on x86-64 and arm64, whose JITs allow it. */
	word = *(__u64 *)(s->path + ((c->off + base) & TMY_PATH_MASK));
	rem = (__s64)c->len - (__s64)base;
#pragma unroll
	for (int k = 0; k < 8; k++) {
		__u64 ch = (word >> (8 * k)) & 0xff;
		/* all ones while byte k is inside the name, 0 after its end */
		__u64 in = ~(__u64)((rem - k - 1) >> 63);
		__u64 hn = (h ^ ch) * TMY_FNV64_PRIME;
		__u64 rn = (r ^ ch) * TMY_FNV64_PRIME;
		__u64 slash, room;

		/* keep clang from turning the masks back into (branching) selects */
		asm volatile("" : "+r"(in));
		h = (hn & in) | (h & ~in);
		r = (rn & in) | (r & ~in);
		slash = (__u64)((__s64)((ch ^ '/') - 1) >> 63) & in & 1;
		room = (__u64)((__s64)(cnt - (TMY_PREFIX_MAX - 1)) >> 63) & 1;
		asm volatile("" : "+r"(slash), "+r"(room));
		s->prefix[cnt & TMY_PREFIX_MASK] = h;
		cnt += slash & room;
		total += slash;
	}
	s->ls.h = h;
	s->ls.r = r;
	s->ls.cnt = cnt;
	s->ls.total = total;
	return 0;
}

/*
 * Hashes n->len bytes at n->off in s->path: n->hash = FNV-1a 64 of the bytes, n->root = FNV-1a
 * 64 of '<' + bytes + '>' (the id of a namespace root, for reset_domain), s->prefix[] = state
 * after each '/'. bpf_loop (5.17) so that the verifier checks one word's code once, whatever the
 * length (a plain loop over PATH_MAX/8 words exceeded the 1M-instruction limit).
 */
static __always_inline void tmy_hash_name(struct tmy_scratch *s, struct tmy_name *n)
{
	struct tmy_hash_loop c = {
		.s = s, .off = n->off, .len = n->len > TMY_PATH_MAX ? TMY_PATH_MAX : n->len,
	};

	s->ls.h = TMY_FNV64_OFFSET;
	s->ls.r = TMY_FNV_STEP(TMY_FNV64_OFFSET, '<');
	s->ls.cnt = 0;
	s->ls.total = 0;
	bpf_loop((c.len + 7) / 8, tmy_hash_word, &c, 0);
	n->hash = s->ls.h;
	n->root = TMY_FNV_STEP(s->ls.r, '>');
	n->nprefix = s->ls.cnt;
	if (s->ls.total > s->ls.cnt)
		n->flags |= TMY_NAME_DEEP;
}

struct tmy_bytes_hash {
	struct tmy_scratch *s;
	__u32 off, len;
};

/* One byte per call: a small frame (the word-at-a-time tmy_hash_word takes 264 bytes of stack,
 * too much under the global tmy_exec_tail). State in s->ls, as for tmy_hash_word. */
static long tmy_hash_byte(__u32 i, struct tmy_bytes_hash *c)
{
	struct tmy_scratch *s = c->s;

	if (!s || i >= c->len)
		return 1;
	s->ls.h = TMY_FNV_STEP(s->ls.h, s->path[(c->off + i) & TMY_PATH_MASK]);
	return 0;
}

/*
 * FNV-1a 64 of len bytes at off in s->path: a name behind the name (tmy_xinfo), at most
 * TMY_PATH_MAX bytes. Clobbers s->ls (not s->prefix).
 */
static __always_inline __u64 tmy_hash_bytes(struct tmy_scratch *s, __u32 off, __u32 len)
{
	struct tmy_bytes_hash c = { .s = s, .off = off, .len = len };

	s->ls.h = TMY_FNV64_OFFSET;
	bpf_loop(TMY_PATH_MAX, tmy_hash_byte, &c, 0);
	return s->ls.h;
}

/* fold(h, v): FNV-1a 64 continued from h over v's 8 little-endian bytes (tomoyo_abi.h) */
#define tmy_fold tmy_fnv_fold_u64

#endif /* TMY_HASH_BPF_H */
