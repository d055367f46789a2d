// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, part: "ipc signal SIGNAL TARGET_DOMAIN" (TOMOYO 1.8) on task_kill.
 *
 * Allowed without a check, as TOMOYO 1.8 does:
 *   - sig 0 (an existence probe: nothing is delivered);
 *   - cred != NULL (a signal sent on behalf of another task, e.g. USB async I/O completion);
 *   - a target in the sender's own thread group, or in the sender's own domain.
 * Otherwise the rule (sender domain, T, sig) is looked up for T = the target's domain, then for
 * each of its name-ancestors (tmy_domain_val.parent of T in this generation), so a rule naming
 * "<kernel> /usr/sbin/httpd" covers that domain and every domain whose name extends it (TOMOYO's
 * word-boundary prefix match). The walk stops at a root (parent 0), at a domain without an entry,
 * or after TMY_SIGNAL_DEPTH_MAX steps (bpf_loop: verified once whatever the depth).
 * Learning records T = the target's own domain. Decision table: tmy_policy.bpf.h with the
 * sender's ipc mode; events are struct tmy_signal_event. A disabled sender costs the task
 * storage, domain and profile lookups.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#include "tmy_maps.bpf.h"
#include "tmy_hash.bpf.h"
#include "tmy_policy.bpf.h"
#include "tmy_task.bpf.h"

struct tmy_sig_walk {
	struct tmy_signal_key key;  /* key.target: the domain being looked at */
	__u32 granted;
	__u32 _pad;
};

/*
 * One step of the walk up the target's name. The next target comes from a map value (an unknown
 * scalar to the verifier), and `granted` only ever becomes the constant 1, so the callback's
 * states converge on every kernel's verifier.
 */
static long tmy_sig_step(__u32 i, struct tmy_sig_walk *c)
{
	struct tmy_domain_key dk = { .domain = c->key.target, .generation = c->key.generation };
	struct tmy_path_val *v = bpf_map_lookup_elem(&tmy_signal_rules, &c->key);
	struct tmy_domain_val *dv;

	if (v && (v->perms & TMY_SIGNAL_ALLOWED)) {
		c->granted = 1;
		return 1;
	}
	dv = bpf_map_lookup_elem(&tmy_domains, &dk);
	if (!dv || !dv->parent)
		return 1;
	c->key.target = dv->parent;
	return 0;
}

static __always_inline void tmy_signal_event(const struct tmy_dom *d, __u16 type, __u64 target, __u32 sig,
					     __u32 target_pid, __u8 flags)
{
	struct tmy_signal_event e;

	tmy_event_hdr(&e.hdr, type, sizeof(e), d->domain);
	e.target = target;
	e.sig = sig;
	e.category = TMY_CAT_IPC;
	e.mode = d->mode;
	e.profile = d->profile;
	e.flags = flags;
	e.target_pid = target_pid;
	e._pad = 0;
	if (bpf_ringbuf_output(&tmy_events, &e, sizeof(e), 0))
		tmy_stat(TMY_STAT_EVENTS_DROPPED);
	else
		tmy_stat(TMY_STAT_EVENTS);
}

static __always_inline void tmy_signal_learn(const struct tmy_dom *d, __u64 target, __u32 sig, __u32 target_pid)
{
	struct tmy_signal_key k = { .domain = d->domain, .target = target, .generation = d->gen, .sig = sig };
	struct tmy_domain_val *dv = tmy_dom_entry(d);

	if (!dv || (dv->flags & TMY_DOMAIN_QUOTA_EXCEEDED))
		return;
	if (d->max_learn && dv->learned >= d->max_learn) {
		if (!(__sync_fetch_and_or(&dv->flags, TMY_DOMAIN_QUOTA_EXCEEDED) & TMY_DOMAIN_QUOTA_EXCEEDED))
			tmy_signal_event(d, TMY_EV_SIGNAL_AUDIT, target, sig, target_pid,
					 TMY_ACCESS_QUOTA_EXCEEDED);
		return;
	}
	if (tmy_perm_or(&tmy_signal_rules, &k, TMY_SIGNAL_ALLOWED) > 0) {
		__sync_fetch_and_add(&dv->learned, 1);
		tmy_stat(TMY_STAT_LEARNED);
		tmy_signal_event(d, TMY_EV_SIGNAL_LEARN, target, sig, target_pid, 0);
	}
}

SEC("lsm/task_kill")
int BPF_PROG(tmy_task_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	struct tmy_sig_walk w;
	struct tmy_task *tt;
	struct tmy_cur cur;
	struct tmy_dom d;
	__u64 target, cred_val = 0;
	__u32 tgid;

	if (ret)
		return tmy_prev_ret(ret);
	/*
	 * cred is read as a plain value: 6.12's verifier takes a hook's pointer arguments to be
	 * non-NULL, so `if (cred)` on the argument itself is "always true" to it, and it removes
	 * everything after it as dead code (the program then allows every signal).
	 */
	bpf_probe_read_kernel(&cred_val, sizeof(cred_val), &ctx[3]);
	if (sig == 0 || cred_val)
		return 0;
	tmy_cur_from(&cur, tmy_task_of_current());
	tmy_dom_resolve(&d, cur.domain, cur.profile, tmy_generation(), TMY_CAT_IPC);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	tgid = BPF_CORE_READ(p, tgid);
	if (tgid == bpf_get_current_pid_tgid() >> 32)
		return 0;
	tt = bpf_task_storage_get(&tmy_tasks, p, 0, 0);
	target = (tt && tt->domain) ? tt->domain : TMY_KERNEL_DOMAIN_ID;
	if (target == d.domain)
		return 0;
	w.key.domain = d.domain;
	w.key.target = target;
	w.key.generation = d.gen;
	w.key.sig = sig;
	w.granted = 0;
	w._pad = 0;
	bpf_loop(TMY_SIGNAL_DEPTH_MAX, tmy_sig_step, &w, 0);
	if (w.granted) {
		if (d.pflags & TMY_PROFILE_GRANT_LOG)
			tmy_signal_event(&d, TMY_EV_SIGNAL_AUDIT, target, sig, tgid, TMY_ACCESS_GRANTED);
		return 0;
	}
	switch (d.mode) {
	case TMY_MODE_LEARNING:
		tmy_signal_learn(&d, target, sig, tgid);
		return 0;
	case TMY_MODE_PERMISSIVE:
		if (d.pflags & TMY_PROFILE_REJECT_LOG)
			tmy_signal_event(&d, TMY_EV_SIGNAL_AUDIT, target, sig, tgid, 0);
		return 0;
	default:
		if (d.pflags & TMY_PROFILE_REJECT_LOG)
			tmy_signal_event(&d, TMY_EV_SIGNAL_AUDIT, target, sig, tgid, 0);
		tmy_stat(TMY_STAT_DENIED);
		return -TMY_EPERM;
	}
}
