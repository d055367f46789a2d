/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy decisions for the file category: the domain's profile and mode, exact + subtree rule
 * lookup, learning (with coalescing and the max_learning_entry quota), audit/learn events.
 * The other categories (network, capability, ipc) follow the same table with their own rules,
 * events and mode (tmy_dom_resolve's `cat`).
 *
 * Decision for one permission bit, by the mode of the domain's profile for the category:
 *   disabled    no lookup, no event, allowed.
 *   granted     (exact rule, a subtree rule on a '/'-prefix of the name, or the domain's path
 *               automaton of pattern rules at the end of the name, has the bit):
 *               allowed; TMY_EV_AUDIT with TMY_ACCESS_GRANTED if the profile has grant_log.
 *   learning    allowed; the bit is OR-ed into the exact rule (domain, name) and, only if it was
 *               not there before, TMY_EV_LEARN is sent and the domain's quota counter grows, so a
 *               loop repeating an access sends one event. At max_learning_entry the domain stops
 *               learning (TMY_DOMAIN_QUOTA_EXCEEDED, one TMY_EV_AUDIT with QUOTA_EXCEEDED).
 *   permissive  allowed; TMY_EV_AUDIT (rejected) if reject_log.
 *   enforcing   -EPERM; TMY_EV_AUDIT (rejected) if reject_log.
 *   unnamed     (TMY_NAME_UNRESOLVED, or a path deeper than the recorded prefixes while the
 *               domain has deep subtree rules): never learned; TMY_EV_AUDIT with
 *               TMY_ACCESS_PATH_UNRESOLVED in every mode but disabled (whatever reject_log
 *               says); -EPERM in enforcing; TMY_STAT_PATH_UNRESOLVED counted.
 * An unknown mode value (> 3, only a broken loader writes one) is treated as enforcing.
 * Events are best effort: a full ring buffer is counted (TMY_STAT_EVENTS_DROPPED) and changes
 * nothing in the decision.
 *
 * Include after tmy_hash.bpf.h.
 */
#ifndef TMY_POLICY_BPF_H
#define TMY_POLICY_BPF_H


/*
 * profile = tmy_domains[{domain, gen}].profile, else `fallback` (the profile kept in the task);
 * mode = that profile's mode for category `cat` (enum tmy_category). Two map lookups: this is
 * all a disabled domain costs on any hook.
 */
static __always_inline void tmy_dom_resolve(struct tmy_dom *d, __u64 domain, __u8 fallback, __u32 gen,
					    __u8 cat)
{
	struct tmy_domain_key k = { .domain = domain, .generation = gen };
	struct tmy_domain_val *v = bpf_map_lookup_elem(&tmy_domains, &k);
	struct tmy_profile *p;
	__u32 idx;

	d->domain = domain;
	d->gen = gen;
	d->profile = v ? v->profile : fallback;
	d->depths = v ? v->subtree_depths : 0;
	d->dflags = v ? v->flags : 0;
	/* the automaton of the category judged: file rules, or network unix addresses */
	d->dfa = !v ? 0 : cat == TMY_CAT_NETWORK ? v->dfa_unix : v->dfa;
	d->conds = v ? v->conds : 0;
	d->cat = cat;
	d->_pad = 0;
	idx = d->profile;
	p = bpf_map_lookup_elem(&tmy_profiles, &idx);
	if (!p) { /* cannot happen for an index < 256; judge as an all-zero (disabled) profile */
		d->mode = TMY_MODE_DISABLED;
		d->pflags = 0;
		d->max_learn = 0;
		return;
	}
	d->mode = p->mode[cat & (TMY_CAT_MAX - 1)];
	if (d->mode > TMY_MODE_ENFORCING)
		d->mode = TMY_MODE_ENFORCING;
	d->pflags = p->flags;
	d->max_learn = p->max_learning_entry;
}

/* ---- rule lookup ----------------------------------------------------------------------------- */
#define TMY_MATCHED_EXACT      (1u << 0)
#define TMY_MATCHED_SUBTREE    (1u << 1)
#define TMY_MATCHED_INCOMPLETE (1u << 2) /* deep subtree rules exist but the name's deep prefixes
                                          * were not recorded: the answer may be wrong */
#define TMY_MATCHED_PATTERN    (1u << 3) /* the domain's path automaton granted something */

/* ---- path automata (tomoyo_abi.h "path automata") -------------------------------------------- */

/* Cell c of tmy_dfa; 0 outside the map (which the walk treats as "no match"). */
static __always_inline __u32 tmy_dfa_cell(__u32 c)
{
	__u32 blk = c / TMY_DFA_BLOCK_CELLS;
	struct tmy_dfa_block *b = bpf_map_lookup_elem(&tmy_dfa, &blk);

	return b ? b->cell[c & (TMY_DFA_BLOCK_CELLS - 1)] : 0;
}

struct tmy_dfa_walk {
	struct tmy_scratch *s;
	__u32 off;   /* the name: s->path[off, off + len) */
	__u32 len;
	__u32 dfa;   /* the automaton's header cell */
	__u32 row;   /* current row, 0 = dead */
};

/* One byte: two array lookups (its class, then the next row). A bpf_loop callback, so the
 * verifier checks it once whatever the length of the name. */
static long tmy_dfa_step(__u32 i, struct tmy_dfa_walk *w)
{
	__u8 b;
	__u32 cls;

	if (i >= w->len || !w->s)
		return 1;
	b = w->s->path[(w->off + i) & TMY_PATH_MASK];
	cls = (tmy_dfa_cell(w->dfa + 1 + (b >> 2)) >> ((b & 3) * 8)) & 0xff;
	w->row = tmy_dfa_cell(w->row + 1 + cls);
	return w->row == 0;
}

/* The TMY_PERM_* bits the automaton at cell `dfa` grants to name n: O(length of the name). */
static __always_inline __u32 tmy_dfa_perms(struct tmy_scratch *s, __u32 dfa, const struct tmy_name *n)
{
	struct tmy_dfa_walk w = { .s = s, .off = n->off, .len = n->len, .dfa = dfa };

	w.row = tmy_dfa_cell(dfa);
	if (!w.row)
		return 0;
	if (w.len > TMY_PATH_MAX)
		w.len = TMY_PATH_MAX;
	bpf_loop(TMY_PATH_MAX, tmy_dfa_step, &w, 0);
	return w.row ? tmy_dfa_cell(w.row) : 0;
}

struct tmy_subtree_scan {
	struct tmy_path_key key;
	struct tmy_scratch *s;
	__u32 depths;
	__u32 want;
	__u32 granted;
	__u32 nprefix;
};

/*
 * Subtree lookup for prefix i (depth i+1), if the domain has subtree rules at that depth (bit i,
 * or bit 31 for depth 32 and more). A bpf_loop callback: verified once, whatever the depth (an
 * unrolled loop with a lookup per depth multiplied the verifier's paths beyond its limit).
 */
static long tmy_subtree_step(__u32 i, struct tmy_subtree_scan *c)
{
	struct tmy_path_val *v;
	__u32 bit = i < 31 ? i : 31;

	if (i >= c->nprefix || !c->s)
		return 1;
	if (!(c->depths & (1u << bit)))
		return 0;
	c->key.path_hash = c->s->prefix[i & TMY_PREFIX_MASK];
	v = bpf_map_lookup_elem(&tmy_path_rules, &c->key);
	if (v)
		c->granted |= v->perms & c->want;
	return c->granted == c->want;
}

/* tmy_file_check / tmy_rule_lookup flags (above the TMY_ACCESS_* event flags in bits 0..7) */
#define TMY_CHECK_SUBTREE (1u << 8)  /* n is the object's own name: its '/'-prefixes (subtree
                                      * rules) and the domain's automaton may be used (not when
                                      * object is another name's hash, e.g. aggregated) */
#define TMY_CHECK_INFO    (1u << 9)  /* s->xi holds the names behind the name (exec, symlink):
                                      * their learned forms are looked up, learned and sent
                                      * (tomoyo_abi.h "learned conditions") */
#define TMY_CHECK_PATTERN (1u << 10) /* the automaton only: n is "NAME1\0ARG", whose
                                      * '/'-prefixes are not directories (tomoyo_abi.h
                                      * TMY_PERM_ARG_MASK); the automaton walks all of it */

/*
 * Which of `want` does the policy grant for the exact name `exact` and, with TMY_CHECK_SUBTREE
 * in `flags` (n is the name whose hash is `exact`), for the recorded '/'-prefixes of n and by the
 * domain's pattern rules, or with TMY_CHECK_PATTERN by the pattern rules only? One lookup for
 * the exact rule, then (only for a domain with subtree rules) one per '/'
 * of the name at a depth where the domain has some, then (only for a domain with other pattern
 * rules, and only for what is still missing) the automaton walk, two array lookups per byte:
 * O(path length), never O(number of rules).
 */
static __always_inline __u32 tmy_rule_lookup(struct tmy_scratch *s, const struct tmy_dom *d,
					     const struct tmy_name *n, __u64 exact, __u32 flags,
					     __u32 want, __u32 *matched)
{
	struct tmy_path_key k = {
		.domain = d->domain, .path_hash = exact, .generation = d->gen, .match = TMY_MATCH_EXACT,
	};
	struct tmy_path_val *v = bpf_map_lookup_elem(&tmy_path_rules, &k);
	__u32 granted = 0;

	s->obj.marks = 0;
	if (v && (v->perms & want)) {
		granted = v->perms & want;
		*matched |= TMY_MATCHED_EXACT;
	}
	if (granted == want || !(flags & (TMY_CHECK_SUBTREE | TMY_CHECK_PATTERN)))
		return granted;
	if (d->depths && (flags & TMY_CHECK_SUBTREE)) {
		struct tmy_subtree_scan c = {
			.key = k, .s = s, .depths = d->depths, .want = want, .granted = granted,
			.nprefix = n->nprefix,
		};

		/*
		 * A subtree rule covers what is strictly below its directory (TOMOYO's
		 * dir/\* + dir/\{\*\}/\* + dir/\{\*\}/ trio), not the directory itself: a
		 * directory's name ends in '/', and its last prefix is the whole name, so skip it.
		 */
		if (n->len && n->nprefix && !(n->flags & TMY_NAME_DEEP) &&
		    s->path[(n->off + n->len - 1) & TMY_PATH_MASK] == '/')
			c.nprefix--;

		c.key.match = TMY_MATCH_SUBTREE;
		bpf_loop(TMY_PREFIX_MAX, tmy_subtree_step, &c, 0);
		if (c.granted & ~granted)
			*matched |= TMY_MATCHED_SUBTREE;
		granted = c.granted;
	}
	if (granted != want && d->dfa) {
		__u32 acc = tmy_dfa_perms(s, d->dfa, n), more = acc & want;

		s->obj.marks = acc & TMY_DFA_MARKS; /* conditional patterns that matched */

		if (more & ~granted)
			*matched |= TMY_MATCHED_PATTERN;
		granted |= more;
	}
	if (granted != want && (flags & TMY_CHECK_SUBTREE) && (d->depths & (1u << 31)) &&
	    (n->flags & TMY_NAME_DEEP))
		*matched |= TMY_MATCHED_INCOMPLETE;
	return granted;
}

/* ---- events ---------------------------------------------------------------------------------- */
static __always_inline void tmy_event_hdr(struct tmy_event_hdr *h, __u16 type, __u32 size, __u64 domain)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u64 ug = bpf_get_current_uid_gid();

	h->type = type;
	h->_pad = 0;
	h->size = size;
	h->ktime_ns = bpf_ktime_get_ns();
	h->domain = domain;
	h->pid = pt >> 32;
	h->tid = (__u32)pt;
	h->uid = (__u32)ug;
	h->gid = ug >> 32;
}

/*
 * Byte count of an event's name, 0..TMY_PATH_MAX, in a form the verifier can bound: the AND is
 * done on the full 64-bit register (clang would otherwise compare the 32-bit half and pass the
 * unbounded 64-bit register to the helper).
 */
static __always_inline __u64 tmy_event_len(const struct tmy_name *n)
{
	__u64 l = n->len;

	asm volatile("%0 &= 0x1fff" : "+r"(l));
	if (l > TMY_PATH_MAX)
		l = TMY_PATH_MAX;
	return l;
}

/* Bytes of the tail sent behind n (TMY_NAME_TAIL), 0..TMY_TAIL_MAX, verifier-bounded. */
static __always_inline __u64 tmy_event_tail_len(const struct tmy_scratch *s, const struct tmy_name *n)
{
	__u64 t = s->xi.tlen;

	if (!(n->flags & TMY_NAME_TAIL))
		return 0;
	asm volatile("%0 &= 0x3fff" : "+r"(t));
	if (t > TMY_TAIL_MAX)
		t = TMY_TAIL_MAX;
	return t;
}

/*
 * Copies the name after the header already built in s->ev and sends header + name bytes. A name
 * with a tail (TMY_NAME_TAIL: an exec's or a symlink's names behind it) is sent from the slot's
 * tmy_xbuf instead, header + name + tail; without that buffer the record is dropped (counted).
 */
static __always_inline void tmy_event_send(struct tmy_scratch *s, const struct tmy_name *n)
{
	__u64 len = tmy_event_len(n);
	__u64 tl = tmy_event_tail_len(s, n);
	long err;

	if (tl) {
		struct tmy_xbuf *x = tmy_xbuf_of(s);

		if (!x) {
			tmy_stat(TMY_STAT_EVENTS_DROPPED);
			return;
		}
		__builtin_memcpy(&x->hdr, &s->ev.acc, sizeof(x->hdr));
		if (len)
			bpf_probe_read_kernel(x->path, len, s->path + (n->off & TMY_PATH_MASK));
		bpf_probe_read_kernel(x->path + len, tl, x->tail);
		err = bpf_ringbuf_output(&tmy_events, &x->hdr, sizeof(x->hdr) + len + tl, 0);
	} else {
		if (len)
			bpf_probe_read_kernel(s->ev.path, len, s->path + (n->off & TMY_PATH_MASK));
		err = bpf_ringbuf_output(&tmy_events, &s->ev, sizeof(struct tmy_access_event) + len, 0);
	}
	if (err)
		tmy_stat(TMY_STAT_EVENTS_DROPPED);
	else
		tmy_stat(TMY_STAT_EVENTS);
}

_Static_assert(sizeof(struct tmy_access_event) == 64, "access event header is 64 bytes");
_Static_assert(sizeof(struct tmy_domain_event) == 64, "domain event header is 64 bytes");

static __always_inline void tmy_access_event(struct tmy_scratch *s, const struct tmy_name *n, __u16 type,
					     const struct tmy_dom *d, __u64 object, __u32 perm, __u8 flags)
{
	struct tmy_access_event *e = &s->ev.acc;
	__u32 len = tmy_event_len(n) + tmy_event_tail_len(s, n);

	tmy_event_hdr(&e->hdr, type, sizeof(*e) + len, d->domain);
	e->object = object;
	e->perm = perm;
	e->category = TMY_CAT_FILE;
	e->mode = d->mode;
	e->profile = d->profile;
	e->flags = flags;
	e->path_len = len;
	e->_pad = 0;
	tmy_event_send(s, n);
}

/* ---- learning -------------------------------------------------------------------------------- */

/* tmy_domains entry of d (inserted with d's profile if missing), or NULL if the map is full. */
static __always_inline struct tmy_domain_val *tmy_dom_entry(const struct tmy_dom *d)
{
	struct tmy_domain_key k = { .domain = d->domain, .generation = d->gen };
	struct tmy_domain_val *v = bpf_map_lookup_elem(&tmy_domains, &k);

	if (v)
		return v;
	{
		struct tmy_domain_val nv = { .profile = d->profile };

		bpf_map_update_elem(&tmy_domains, &k, &nv, BPF_NOEXIST);
	}
	v = bpf_map_lookup_elem(&tmy_domains, &k);
	if (!v)
		tmy_stat(TMY_STAT_DOMAINS_FULL);
	return v;
}

/* ORs perm into rule {domain, hash, EXACT}. 1 if the bit is new, 0 if it was there, <0 on error. */
static __always_inline int tmy_rule_add(const struct tmy_dom *d, __u64 hash, __u32 perm)
{
	struct tmy_path_key k = {
		.domain = d->domain, .path_hash = hash, .generation = d->gen, .match = TMY_MATCH_EXACT,
	};
	struct tmy_path_val *v = bpf_map_lookup_elem(&tmy_path_rules, &k);
	long err;

	if (!v) {
		struct tmy_path_val nv = { .perms = perm, .learned = perm };

		err = bpf_map_update_elem(&tmy_path_rules, &k, &nv, BPF_NOEXIST);
		if (!err)
			return 1;
		v = bpf_map_lookup_elem(&tmy_path_rules, &k); /* lost a race with another CPU */
		if (!v) {
			tmy_stat(TMY_STAT_RULES_FULL);
			return -1;
		}
	}
	if (__sync_fetch_and_or(&v->perms, perm) & perm)
		return 0;
	__sync_fetch_and_or(&v->learned, perm);
	return 1;
}

/* ORs perm into the struct tmy_path_val of `map` at `key` (inserted if missing): learning in
 * the maps whose value is a tmy_path_val (network, signal). 1 if the bit is new, 0 if it was
 * there, <0 if the map is full. */
static __always_inline int tmy_perm_or(void *map, const void *key, __u32 perm)
{
	struct tmy_path_val *v = bpf_map_lookup_elem(map, key);

	if (!v) {
		struct tmy_path_val nv = { .perms = perm, .learned = perm };

		if (!bpf_map_update_elem(map, key, &nv, BPF_NOEXIST))
			return 1;
		v = bpf_map_lookup_elem(map, key); /* lost a race with another CPU */
		if (!v) {
			tmy_stat(TMY_STAT_RULES_FULL);
			return -1;
		}
	}
	if (__sync_fetch_and_or(&v->perms, perm) & perm)
		return 0;
	__sync_fetch_and_or(&v->learned, perm);
	return 1;
}

static __always_inline void tmy_learn(struct tmy_scratch *s, const struct tmy_dom *d, const struct tmy_name *n,
				      __u64 object, __u32 perm, __u8 evflags)
{
	struct tmy_domain_val *dv = tmy_dom_entry(d);

	if (!dv || (dv->flags & TMY_DOMAIN_QUOTA_EXCEEDED))
		return;
	if (d->max_learn && dv->learned >= d->max_learn) {
		if (!(__sync_fetch_and_or(&dv->flags, TMY_DOMAIN_QUOTA_EXCEEDED) & TMY_DOMAIN_QUOTA_EXCEEDED))
			tmy_access_event(s, n, TMY_EV_AUDIT, d, object, perm,
					 evflags | TMY_ACCESS_QUOTA_EXCEEDED);
		return;
	}
	if (tmy_rule_add(d, object, perm) > 0) {
		__sync_fetch_and_add(&dv->learned, 1);
		tmy_stat(TMY_STAT_LEARNED);
		tmy_access_event(s, n, TMY_EV_LEARN, d, object, perm, evflags);
	}
}

/* ---- the decision ---------------------------------------------------------------------------- */

/* Unnamed object: defined decision (see the top of this file). */
static __always_inline int tmy_decide_unresolved(struct tmy_scratch *s, const struct tmy_dom *d,
						 const struct tmy_name *n, __u32 perm, __u8 evflags)
{
	tmy_stat(TMY_STAT_PATH_UNRESOLVED);
	tmy_access_event(s, n, TMY_EV_AUDIT, d, 0, perm, evflags | TMY_ACCESS_PATH_UNRESOLVED);
	if (d->mode == TMY_MODE_ENFORCING) {
		tmy_stat(TMY_STAT_DENIED);
		return -TMY_EPERM;
	}
	return 0;
}

/* ---- conditional rules (tomoyo_abi.h "conditional rules") ---------------------------------- */

struct tmy_cond_scan {
	struct tmy_cond_key key;
	struct tmy_scratch *s;
	__u64 hash;
	__u32 want;
	__u32 granted;
	__u32 n;
	__u32 marks;  /* s->obj.marks: rules on TMY_COND_MARK_HASH(k) apply if mark k is set */
};

/* The hash of name variable l (TMY_CV_EXEC_REALPATH..) in *h; false where it is not known. */
static __always_inline bool tmy_cond_name(const struct tmy_xinfo *x, __u32 l, __u64 *h)
{
	if (x->kind == TMY_XINFO_EXEC && l == TMY_CV_EXEC_REALPATH && x->n >= 1) {
		*h = x->h1;
		return true;
	}
	if (x->kind == TMY_XINFO_EXEC && l == TMY_CV_EXEC_ARGV0 && x->n >= 2) {
		*h = x->h2;
		return true;
	}
	if (x->kind == TMY_XINFO_SYMLINK && l == TMY_CV_SYMLINK_TARGET && x->n >= 1) {
		*h = x->h1;
		return true;
	}
	return false;
}

/* Which object a numeric variable needs: 1 path1's inode, 2 its parent's, 0 none. */
static __always_inline __u32 tmy_cv_needs(__u32 v)
{
	if (v >= TMY_CV_PATH1_UID && v <= TMY_CV_PATH1_PERM)
		return 1;
	if (v >= TMY_CV_PATH1_PARENT_UID && v <= TMY_CV_PATH1_PARENT_PERM)
		return 2;
	return 0;
}

/* `valid`: bit 0 path1's inode is known, bit 1 its parent's (s->obj.valid, s->obj.pvalid). */
static __always_inline bool tmy_cond_clause_holds(const struct tmy_cond_clause *c, const __u32 *cv,
						  __u32 valid, const struct tmy_xinfo *x)
{
	__u32 l = c->left, r = c->right, val;
	bool hit = false;

	if (l == 0 || l >= TMY_CV_MAX || r >= TMY_CV_MAX)
		return false;
	if (l >= TMY_CV_EXEC_REALPATH && l <= TMY_CV_SYMLINK_TARGET) {
		/* a name: equal to one of nranges hashes (lo | hi << 32); unknown = false */
		__u64 h = 0;

		if (r || !tmy_cond_name(x, l, &h))
			return false;
#pragma unroll
		for (int i = 0; i < TMY_COND_RANGES; i++)
			if (i < c->nranges && (c->lo[i] | ((__u64)c->hi[i] << 32)) == h)
				hit = true;
		return c->negate ? !hit : hit;
	}
	if ((tmy_cv_needs(l) | tmy_cv_needs(r)) & ~valid)
		return false; /* no inode: a path1 / path1.parent clause never holds (TOMOYO) */
	val = cv[l & 31];
	if (r) {
		hit = val == cv[r & 31];
	} else {
#pragma unroll
		for (int i = 0; i < TMY_COND_RANGES; i++)
			if (i < c->nranges && val >= c->lo[i] && val <= c->hi[i])
				hit = true;
	}
	return c->negate ? !hit : hit;
}

/* Conditional rule i of the domain: a bpf_loop callback, one lookup per rule. */
static long tmy_cond_step(__u32 i, struct tmy_cond_scan *x)
{
	struct tmy_cond_rule *r;
	bool ok = true;

	if (i >= x->n || !x->s)
		return 1;
	x->key.index = i;
	r = bpf_map_lookup_elem(&tmy_cond_rules, &x->key);
	if (!r || !(r->perms & x->want))
		return 0;
	if (r->path_hash != x->hash &&
	    ((r->path_hash & ~7ull) != TMY_COND_MARK_BASE ||
	     !(x->marks & (TMY_DFA_MARK0 << (r->path_hash & 7)))))
		return 0;
#pragma unroll
	for (int j = 0; j < TMY_COND_CLAUSES; j++)
		if (j < r->nclauses &&
		    !tmy_cond_clause_holds(&r->clause[j], x->s->cv,
					   (x->s->obj.valid ? 1 : 0) | (x->s->obj.pvalid ? 2 : 0), &x->s->xi))
			ok = false;
	if (ok)
		x->granted |= r->perms & x->want;
	return x->granted == x->want;
}

/*
 * Which of `want` the domain's conditional rules grant to the object whose hash is `hash` (the
 * task's credentials and s->obj, the object's inode, are the condition variables).
 */
static __always_inline __u32 tmy_cond_lookup(struct tmy_scratch *s, const struct tmy_dom *d, __u64 hash,
					     __u32 want)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct tmy_cond_scan x = {
		.key = { .domain = d->domain, .generation = d->gen }, .s = s, .hash = hash, .want = want,
		.n = d->conds, .marks = s->obj.marks,
	};

	s->cv[TMY_CV_TASK_UID] = BPF_CORE_READ(t, cred, uid.val);
	s->cv[TMY_CV_TASK_EUID] = BPF_CORE_READ(t, cred, euid.val);
	s->cv[TMY_CV_TASK_SUID] = BPF_CORE_READ(t, cred, suid.val);
	s->cv[TMY_CV_TASK_FSUID] = BPF_CORE_READ(t, cred, fsuid.val);
	s->cv[TMY_CV_TASK_GID] = BPF_CORE_READ(t, cred, gid.val);
	s->cv[TMY_CV_TASK_EGID] = BPF_CORE_READ(t, cred, egid.val);
	s->cv[TMY_CV_TASK_SGID] = BPF_CORE_READ(t, cred, sgid.val);
	s->cv[TMY_CV_TASK_FSGID] = BPF_CORE_READ(t, cred, fsgid.val);
	{ /* path1.*: the inode of the dentry tmy_name_core named (a negative one has none) */
		struct dentry *de = (struct dentry *)s->obj.dentry;
		struct inode *ino = de ? BPF_CORE_READ(de, d_inode) : NULL;

		s->obj.valid = ino != NULL;
		s->obj.uid = ino ? BPF_CORE_READ(ino, i_uid.val) : 0;
		s->obj.gid = ino ? BPF_CORE_READ(ino, i_gid.val) : 0;
		s->obj.mode = ino ? BPF_CORE_READ(ino, i_mode) : 0;
	}
	{ /* path1.parent.*: its parent directory's inode, whenever path1 has a dentry */
		struct dentry *de = (struct dentry *)s->obj.dentry;
		struct dentry *pa = de ? BPF_CORE_READ(de, d_parent) : NULL;
		struct inode *ino = pa ? BPF_CORE_READ(pa, d_inode) : NULL;

		s->obj.pvalid = ino != NULL;
		s->obj.puid = ino ? BPF_CORE_READ(ino, i_uid.val) : 0;
		s->obj.pgid = ino ? BPF_CORE_READ(ino, i_gid.val) : 0;
		s->obj.pmode = ino ? BPF_CORE_READ(ino, i_mode) : 0;
	}
	s->cv[TMY_CV_PATH1_PARENT_UID] = s->obj.puid;
	s->cv[TMY_CV_PATH1_PARENT_GID] = s->obj.pgid;
	s->cv[TMY_CV_PATH1_PARENT_PERM] = s->obj.pmode & 07777;
	s->cv[TMY_CV_PATH1_UID] = s->obj.uid;
	s->cv[TMY_CV_PATH1_GID] = s->obj.gid;
	s->cv[TMY_CV_PATH1_TYPE] = s->obj.mode & 0170000;
	s->cv[TMY_CV_PATH1_PERM] = s->obj.mode & 07777;
	if (x.n > TMY_COND_MAX)
		x.n = TMY_COND_MAX;
	bpf_loop(TMY_COND_MAX, tmy_cond_step, &x, 0);
	return x.granted;
}


/*
 * The learned forms of (object, s->xi): which of `want` the keys fold(object, h1) and, with two
 * names, fold(fold(object, h1), h2) grant (two exact lookups); *key = the longest form's key.
 */
static __always_inline __u32 tmy_info_lookup(const struct tmy_scratch *s, const struct tmy_dom *d,
					     __u64 object, __u32 want, __u64 *key)
{
	struct tmy_path_key k = {
		.domain = d->domain, .generation = d->gen, .match = TMY_MATCH_EXACT,
	};
	struct tmy_path_val *v;
	__u32 granted = 0;

	k.path_hash = tmy_fold(object, s->xi.h1);
	*key = k.path_hash;
	v = bpf_map_lookup_elem(&tmy_path_rules, &k);
	if (v)
		granted |= v->perms & want;
	if (s->xi.n >= 2) {
		k.path_hash = tmy_fold(k.path_hash, s->xi.h2);
		*key = k.path_hash;
		v = bpf_map_lookup_elem(&tmy_path_rules, &k);
		if (v)
			granted |= v->perms & want;
	}
	return granted;
}

/*
 * Judges one permission bit `perm` for the domain s->dom on the name s->name (whose hash, or the
 * hash of the name standing for it, is `object`). `flags`: TMY_ACCESS_* for its events, plus
 * TMY_CHECK_SUBTREE or TMY_CHECK_PATTERN, and TMY_CHECK_INFO. Returns 0 or -EPERM.
 *
 * A global (not inlined) function: the verifier checks it once, on its own, instead of once per
 * call site (inlined, the exec program needed more than the verifier's 1M instructions). Its
 * pointer argument arrives as "memory of the pointee's size, maybe NULL": hence the NULL test.
 * Defined in tomoyo_policy.bpf.c (TMY_POLICY_IMPL), extern elsewhere.
 */
#ifdef TMY_POLICY_IMPL
__noinline int tmy_file_check(struct tmy_scratch *s, __u64 object, __u32 perm, __u32 flags)
{
	const struct tmy_dom *d;
	const struct tmy_name *n;
	__u32 matched = 0, granted;
	__u8 evflags = flags & 0xff;

	if (!s)
		return 0;
	d = &s->dom;
	n = &s->name;
	if (d->mode == TMY_MODE_DISABLED)
		return 0;
	if (n->flags & TMY_NAME_UNRESOLVED)
		return tmy_decide_unresolved(s, d, n, perm, evflags);
	granted = tmy_rule_lookup(s, d, n, object, flags, perm, &matched);
	if (granted != perm && d->conds)
		granted |= tmy_cond_lookup(s, d, object, perm & ~granted);
	if ((flags & TMY_CHECK_INFO) && s->xi.n) {
		/* from here on the access is its learned form: learned, logged and sent with the
		 * names behind the name (the caller clears TMY_NAME_TAIL afterwards) */
		__u64 key = 0;

		if (granted != perm) {
			granted |= tmy_info_lookup(s, d, object, perm & ~granted, &key);
		} else {
			key = tmy_fold(object, s->xi.h1);
			if (s->xi.n >= 2)
				key = tmy_fold(key, s->xi.h2);
		}
		object = key;
		s->name.flags |= TMY_NAME_TAIL;
		evflags |= TMY_ACCESS_INFO1 | (s->xi.n >= 2 ? TMY_ACCESS_INFO2 : 0);
	}
	if (granted == perm) {
		if (d->pflags & TMY_PROFILE_GRANT_LOG)
			tmy_access_event(s, n, TMY_EV_AUDIT, d, object, perm, evflags | TMY_ACCESS_GRANTED);
		return 0;
	}
	if (matched & TMY_MATCHED_INCOMPLETE)
		return tmy_decide_unresolved(s, d, n, perm, evflags);
	switch (d->mode) {
	case TMY_MODE_LEARNING:
		tmy_learn(s, d, n, object, perm, evflags);
		return 0;
	case TMY_MODE_PERMISSIVE:
		if (d->pflags & TMY_PROFILE_REJECT_LOG)
			tmy_access_event(s, n, TMY_EV_AUDIT, d, object, perm, evflags);
		return 0;
	default:
		if (d->pflags & TMY_PROFILE_REJECT_LOG)
			tmy_access_event(s, n, TMY_EV_AUDIT, d, object, perm, evflags);
		tmy_stat(TMY_STAT_DENIED);
		return -TMY_EPERM;
	}
}
#else
extern int tmy_file_check(struct tmy_scratch *s, __u64 object, __u32 perm, __u32 flags);
#endif

#endif /* TMY_POLICY_BPF_H */
