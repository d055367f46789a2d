// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, part 2 of 3: domain transitions and "file execute", mirroring the kernel's own
 * TOMOYO (security/tomoyo/tomoyo.c, domain.c):
 *
 *   bprm_creds_for_exec   once per execve, before any bprm_check_security: forget a pending
 *                         domain left by an exec that failed after its first check.
 *   bprm_check_security   first call of an execve (not pending): tomoyo_find_next_domain():
 *                           name the program; apply `aggregator`; check "file execute" of the
 *                           (aggregated) name in the CURRENT domain; pick the transition from
 *                           the exception policy in TOMOYO's order; compute the next domain's
 *                           id and profile; record a new domain (TMY_EV_DOMAIN); keep it
 *                           pending in the task.
 *                         later calls of the same execve (binfmt_script/misc loading the
 *                           interpreter): "file read" of the interpreter in the NEXT domain,
 *                           as tomoyo_bprm_check_security does.
 *   bprm_committed_creds  after the point of no return: the pending domain becomes current.
 *
 * Program name: as TOMOYO names it, the path as executed with the directory part resolved and
 * the last symlink NOT followed (/bin/sh -> "/usr/bin/sh", not /usr/bin/dash): the link record
 * of tmy_link.bpf.h when the final component was a symlink, else the opened file's name
 * (bprm->file, see tmy_path.bpf.h). A script's interpreter is checked ("file read") under the
 * name of the file opened, the link followed, as TOMOYO does.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#include "tmy_maps.bpf.h"
#include "tmy_hash.bpf.h"
#include "tmy_path.bpf.h"
#include "tmy_policy.bpf.h"
#include "tmy_task.bpf.h"
#include "tmy_link.bpf.h"

/* Is there a transition rule of `type` for `program` (or any program) from the current domain
 * (by id, by last name, or from anywhere)? Six exact-key lookups. */
static __always_inline bool tmy_tr_match(__u64 program, const struct tmy_cur *c, __u32 gen, __u8 type)
{
	struct tmy_transition_key k = { .generation = gen, .type = type };

#pragma unroll
	for (int p = 0; p < 2; p++) {
		k.program = p ? 0 : program;
		k.from_kind = TMY_FROM_ANY;
		k.from = 0;
		if (bpf_map_lookup_elem(&tmy_transitions, &k))
			return true;
		k.from_kind = TMY_FROM_DOMAIN;
		k.from = c->domain;
		if (bpf_map_lookup_elem(&tmy_transitions, &k))
			return true;
		k.from_kind = TMY_FROM_LASTNAME;
		k.from = c->last_name;
		if (bpf_map_lookup_elem(&tmy_transitions, &k))
			return true;
	}
	return false;
}

/* tomoyo_transition_type(): the first type that matches, in enum order, where a matching
 * no_reset_domain skips reset_domain and a matching no_initialize_domain skips
 * initialize_domain. TMY_TR_MAX: no rule (ordinary child). */
static __always_inline __u8 tmy_transition_type(__u64 program, const struct tmy_cur *c, __u32 gen)
{
	if (!tmy_tr_match(program, c, gen, TMY_TR_NO_RESET) &&
	    tmy_tr_match(program, c, gen, TMY_TR_RESET))
		return TMY_TR_RESET;
	if (!tmy_tr_match(program, c, gen, TMY_TR_NO_INITIALIZE) &&
	    tmy_tr_match(program, c, gen, TMY_TR_INITIALIZE))
		return TMY_TR_INITIALIZE;
	if (tmy_tr_match(program, c, gen, TMY_TR_NO_KEEP))
		return TMY_TR_NO_KEEP;
	if (tmy_tr_match(program, c, gen, TMY_TR_KEEP))
		return TMY_TR_KEEP;
	return TMY_TR_MAX;
}

static __always_inline void tmy_domain_event(struct tmy_scratch *s, const struct tmy_name *n, __u64 next,
					     __u64 parent, __u64 program, __u8 profile, __u8 transition,
					     __u16 flags)
{
	struct tmy_domain_event *e = &s->ev.dom;
	__u32 len = tmy_event_len(n);

	tmy_event_hdr(&e->hdr, TMY_EV_DOMAIN, sizeof(*e) + len, next);
	e->parent = parent;
	e->program = program;
	e->profile = profile;
	e->transition = transition;
	e->flags = flags;
	e->path_len = len;
	tmy_event_send(s, n);
}

#define TMY_NR_EXECVE   59  /* x86-64 system call numbers (arch/x86/entry/syscalls) */
#define TMY_NR_EXECVEAT 322

/*
 * exec.argv[0] into the tail, behind '\0' R (s->xi.n == 1): read from the execve(2) /
 * execveat(2) arguments in the task's saved registers, in user memory the kernel copied from a
 * moment ago (copy_strings). TOMOYO reads it from the new stack (bprm pages), which a BPF program
 * cannot; the user's argv is the same bytes. Not for kernel_execve() (usermode helpers, init: no
 * such system call) nor 32-bit execve, nor when the page is gone or the whole tail would pass
 * TMY_PATH_MAX: counted, and the exec has exec.realpath only. argv == NULL or argv[0] == NULL
 * (argc 0) is "", which is what the kernel gives the program (fs/exec.c since 5.18).
 */
static __always_inline void tmy_exec_argv0(struct tmy_scratch *s, struct tmy_xbuf *x)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	const char *const *argv;
	const char *a0 = NULL;
	__u32 at = s->xi.tlen, alen = 0;
	long nr, r;

	if (!regs || s->xi.n != 1 || at == 0 || at > TMY_PATH_MAX)
		goto unread;
	nr = regs->orig_ax;
	if (nr == TMY_NR_EXECVE)
		argv = (const char *const *)regs->si;
	else if (nr == TMY_NR_EXECVEAT)
		argv = (const char *const *)regs->dx;
	else
		goto unread;
	if (argv && bpf_probe_read_user(&a0, sizeof(a0), argv))
		goto unread;
	if (a0) {
		r = bpf_probe_read_user_str(s->path + TMY_XREAD_OFF, TMY_XREAD_MAX, a0);
		if (r <= 0 || r >= TMY_XREAD_MAX)
			goto unread;
		alen = r - 1;
	}
	s->xi.h2 = tmy_hash_bytes(s, TMY_XREAD_OFF, alen);
	x->tail[at] = 0;
	if (alen)
		bpf_probe_read_kernel(x->tail + at + 1, alen, s->path + TMY_XREAD_OFF);
	s->xi.tlen = at + 1 + alen;
	s->xi.n = 2;
	return;
unread:
	tmy_stat(TMY_STAT_EXEC_ARGV0_UNREAD);
}

/*
 * The names behind an exec's name (tomoyo_abi.h "learned conditions on names") into the slot's
 * tail: '\0' R, R = s->path[off, off + len) (exec.realpath), then '\0' exec.argv[0]; their
 * hashes in s->xi.
 */
static __always_inline void tmy_exec_tail_of(struct tmy_scratch *s, __u32 off, __u32 len)
{
	struct tmy_xbuf *x;
	__u64 l = len;

	s->xi.n = 0;
	x = tmy_xbuf_of(s);
	if (!x || off > TMY_PATH_END + 1 || len == 0 || len >= TMY_PATH_MAX)
		return;
	asm volatile("%0 &= 0xfff" : "+r"(l)); /* the bound the verifier needs (len < 4096) */
	x->tail[0] = 0;
	bpf_probe_read_kernel(x->tail + 1, l, s->path + off);
	s->xi.h1 = tmy_hash_bytes(s, off, len);
	s->xi.tlen = 1 + len;
	s->xi.n = 1;
	tmy_exec_argv0(s, x);
}

/*
 * Global functions: the verifier checks them once, on their own, not once per path of the exec
 * program through them; and their frames do not add to the exec program's own (inlined, 6.1's
 * verifier passed its 1M-instruction limit, then the 512-byte stack).
 *
 * tmy_exec_tail: the program is named after the opened file, which is exec.realpath too.
 */
__noinline int tmy_exec_tail(struct tmy_scratch *s, __u32 off, __u32 len)
{
	if (s)
		tmy_exec_tail_of(s, off, len);
	return 0;
}

/*
 * tmy_exec_tail_linked: the program is named after a final symlink; exec.realpath is the opened
 * file's own name, named here by the dentry walk (tomoyo_realpath_from_path's absolute name; a
 * global function cannot use bpf_d_path) from (mnt, dentry) in s->prefix[0..1]. Also reads the
 * file's inode for path1.* (s->obj). s->name is the caller's to overwrite afterwards.
 */
__noinline int tmy_exec_tail_linked(struct tmy_scratch *s)
{
	if (!s)
		return 0;
	tmy_name_dentry(s, (struct vfsmount *)s->prefix[0], (struct dentry *)s->prefix[1], &s->name);
	if (s->name.flags & TMY_NAME_UNRESOLVED) {
		s->xi.n = 0;
		return 0;
	}
	tmy_exec_tail_of(s, s->name.off, s->name.len);
	return 0;
}

/* Mode of a domain's file category when there is no scratch to judge with. */
static __always_inline int tmy_no_scratch(__u64 domain, __u8 fallback, __u32 gen)
{
	struct tmy_dom d;

	tmy_dom_resolve(&d, domain, fallback, gen, TMY_CAT_FILE);
	return d.mode == TMY_MODE_ENFORCING ? -TMY_EPERM : 0;
}

/* The first bprm_check_security of an execve. */
static __always_inline int tmy_exec_first(struct tmy_scratch *s, struct linux_binprm *bprm,
					  struct tmy_task *t, __u32 gen)
{
	struct tmy_cur cur;
	struct tmy_dom *d;
	struct tmy_name *n;
	struct tmy_aggregator_key ak = {};
	struct tmy_aggregator_val *agg;
	struct tmy_domain_key dk = { .generation = gen };
	struct tmy_domain_val *dv;
	__u64 cand, cand_root, next, next_ns, next_last;
	__u8 type, next_profile, evflags = 0;
	int rc, named;

	tmy_cur_from(&cur, t);
	if (!s) /* no scratch: no name; defined decision without an event */
		return tmy_no_scratch(cur.domain, cur.profile, gen);
	d = &s->dom;
	n = &s->name;
	tmy_dom_resolve(d, cur.domain, cur.profile, gen, TMY_CAT_FILE);

	s->xi.kind = TMY_XINFO_EXEC;
	named = tmy_exec_program_name(s, bprm, n);
	if (n->flags & TMY_NAME_UNRESOLVED)
		/* No name, so no next domain: the task stays where it is (as TOMOYO does when a
		 * transition fails outside enforcing mode); enforcing refuses the exec. */
		return tmy_file_check(s, 0, TMY_PERM_EXECUTE, 0) ? -TMY_EPERM : 0;
	if (named == TMY_EXEC_NAMED_FILE && d->mode != TMY_MODE_DISABLED)
		tmy_exec_tail(s, n->off, n->len); /* exec.realpath is the name itself */
	else if (named == TMY_EXEC_NAMED_FILE)
		s->xi.n = 0; /* nothing will be judged: no argv[0] to read */
	tmy_hash_name(s, n); /* last: the other hashes clobber its '/'-prefixes */

	/* aggregator: many programs, one name (checked and folded in instead of the real one) */
	cand = n->hash;
	cand_root = n->root;
	ak.program = cand;
	ak.generation = gen;
	agg = bpf_map_lookup_elem(&tmy_aggregators, &ak);
	if (agg) {
		cand = agg->aggregated;
		cand_root = agg->aggregated_root;
		evflags = TMY_ACCESS_AGGREGATED;
	}

	/* "file execute" in the current domain; subtree rules apply to the real name only */
	rc = tmy_file_check(s, cand, TMY_PERM_EXECUTE,
			    evflags | TMY_CHECK_INFO | (agg ? 0 : TMY_CHECK_SUBTREE));
	n->flags &= ~TMY_NAME_TAIL; /* later events (the new domain's) carry the name alone */
	if (rc)
		return -TMY_EPERM;

	type = tmy_transition_type(cand, &cur, gen);
	if (type == TMY_TR_RESET) {
		/* to the root "<name>" of another namespace, which must exist (TOMOYO refuses the
		 * exec with -ENOMEM otherwise, whatever the mode) */
		dk.domain = cand_root;
		dv = bpf_map_lookup_elem(&tmy_domains, &dk);
		if (!dv) {
			tmy_stat(TMY_STAT_TRANSITION_FAILED);
			tmy_access_event(s, n, TMY_EV_AUDIT, d, cand_root, TMY_PERM_EXECUTE,
					 evflags | TMY_ACCESS_TRANSITION_FAILED);
			return -TMY_ENOMEM;
		}
		next = cand_root;
		next_ns = cand_root;
		next_last = cand_root;
		next_profile = dv->profile;
	} else if (type == TMY_TR_KEEP) {
		next = cur.domain;
		next_ns = cur.ns;
		next_last = cur.last_name;
		next_profile = d->profile;
	} else { /* INITIALIZE: child of the namespace root; NO_KEEP / none: child */
		next = tmy_domain_child(type == TMY_TR_INITIALIZE ? cur.ns : cur.domain, cand);
		next_ns = cur.ns;
		next_last = cand;
		next_profile = d->profile;
		dk.domain = next;
		dv = bpf_map_lookup_elem(&tmy_domains, &dk);
		if (dv) {
			next_profile = dv->profile;
		} else {
			/* a new domain inherits the profile of the domain it is created from; its
			 * parent is the domain its name extends ("ipc signal" rules name ancestors) */
			struct tmy_domain_val nv = {
				.profile = next_profile,
				.parent = type == TMY_TR_INITIALIZE ? cur.ns : cur.domain,
			};
			long err = bpf_map_update_elem(&tmy_domains, &dk, &nv, BPF_NOEXIST);

			if (err == -17 /* EEXIST: another CPU created it just now */) {
				dv = bpf_map_lookup_elem(&tmy_domains, &dk);
				if (dv)
					next_profile = dv->profile;
			} else {
				/* created (or the map is full: still tell user space its name) */
				if (err)
					tmy_stat(TMY_STAT_DOMAINS_FULL);
				tmy_domain_event(s, n, next, cur.domain, cand, next_profile,
						 type == TMY_TR_INITIALIZE ? TMY_TR_INITIALIZE : TMY_TRANSITION_CHILD,
						 agg ? TMY_DOMAIN_EV_AGGREGATED : 0);
			}
		}
	}

	t = bpf_task_storage_get(&tmy_tasks, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		/* the task could not carry its next domain: refuse rather than misname it */
		tmy_stat(TMY_STAT_TASK_NO_STORAGE);
		return -TMY_ENOMEM;
	}
	if (!t->domain) { /* new storage: the task was in <kernel> */
		t->domain = cur.domain;
		t->ns = cur.ns;
		t->last_name = cur.last_name;
		t->profile = cur.profile;
	}
	t->pending_domain = next;
	t->pending_ns = next_ns;
	t->pending_last_name = next_last;
	t->pending_profile = next_profile;
	t->flags |= TMY_TASK_EXEC_PENDING;
	return 0;
}

/* A later bprm_check_security of the same execve: the interpreter of a script. */
static __always_inline int tmy_exec_interpreter(struct tmy_scratch *s, struct linux_binprm *bprm,
						struct tmy_task *t, __u32 gen)
{
	/* open_exec() of the interpreter recorded its own link, if it was one: not used */
	if (tmy_link_rec_of_current())
		tmy_link_rec_drop();
	if (!s)
		return tmy_no_scratch(t->pending_domain, t->pending_profile, gen);
	tmy_dom_resolve(&s->dom, t->pending_domain, t->pending_profile, gen, TMY_CAT_FILE);
	if (s->dom.mode == TMY_MODE_DISABLED)
		return 0;
	tmy_name_path(s, &bprm->file->f_path, &s->name);
	if (!(s->name.flags & TMY_NAME_UNRESOLVED))
		tmy_hash_name(s, &s->name);
	/* the global function's result is an unknown scalar to the verifier: restate it */
	return tmy_file_check(s, s->name.hash, TMY_PERM_READ,
			      TMY_ACCESS_INTERPRETER | TMY_CHECK_SUBTREE) ? -TMY_EPERM : 0;
}

SEC("lsm/bprm_creds_for_exec")
int BPF_PROG(tmy_bprm_creds_for_exec, struct linux_binprm *bprm, int ret)
{
	struct tmy_task *t = tmy_task_of_current();

	if (t)
		t->flags &= ~TMY_TASK_EXEC_PENDING;
	return ret ? tmy_prev_ret(ret) : 0;
}

SEC("lsm/bprm_check_security")
int BPF_PROG(tmy_bprm_check_security, struct linux_binprm *bprm, int ret)
{
	struct tmy_task *t;
	struct tmy_scratch *s;
	__u32 slot = 0, gen;

	if (ret)
		return tmy_prev_ret(ret);
	gen = tmy_generation();
	t = tmy_task_of_current();
	s = tmy_scratch_get(&slot);
	if (t && (t->flags & TMY_TASK_EXEC_PENDING))
		ret = tmy_exec_interpreter(s, bprm, t, gen);
	else
		ret = tmy_exec_first(s, bprm, t, gen);
	tmy_scratch_put(s);
	return ret; /* 0, -EPERM or -ENOMEM, all constants the verifier sees */
}

SEC("lsm/bprm_committed_creds")
int BPF_PROG(tmy_bprm_committed_creds, struct linux_binprm *bprm)
{
	struct tmy_task *t = tmy_task_of_current();

	/* the ELF interpreter's open_exec() may have left a link record: the exec is over */
	if (tmy_link_rec_of_current())
		tmy_link_rec_drop();
	if (t && (t->flags & TMY_TASK_EXEC_PENDING)) {
		t->domain = t->pending_domain;
		t->ns = t->pending_ns;
		t->last_name = t->pending_last_name;
		t->profile = t->pending_profile;
		t->flags &= ~TMY_TASK_EXEC_PENDING;
	}
	return 0;
}
