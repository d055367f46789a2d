// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, part: "capability NAME" (TOMOYO 1.8 style, Linux capability numbers) on the
 * capable hook.
 *
 *   - judged only when `cred` is the calling task's own subjective cred: a check of another
 *     task's or of a file opener's capabilities (has_capability, file_ns_capable) is not this
 *     task acting;
 *   - and only when that subjective cred is the task's real one: under override_creds() the
 *     kernel checks a subsystem's own credentials on the task's behalf (overlayfs reads its
 *     trusted.* xattrs with the mounter's CAP_SYS_ADMIN after the task's own permission check;
 *     nfsd, cachefiles do the same). Judging those would learn "capability sys_admin" for any
 *     program touching an overlay root, something the program never asked for;
 *   - the capability LSM runs first, so only checks that would otherwise succeed reach here;
 *     a denial makes the capability check fail, and the syscall returns its own error for that
 *     (EPERM, or EACCES for a bind to a port below 1024, ...);
 *   - CAP_OPT_NOAUDIT checks (probes such as the one in fs/ for capable_wrt_inode_uidgid) are
 *     enforced like the others but never learned or logged: an enforcing domain still cannot
 *     use a capability it has no rule for, and probing code does not fill the logs;
 *   - this hook is hot and can run under spinlocks: no scratch, no loops, nothing that sleeps.
 *     A disabled domain costs the task storage, domain and profile lookups.
 *
 * Decision table: tmy_policy.bpf.h, with the domain's capability mode. Learning ORs the bit into
 * tmy_cap_rules (one entry per domain), events are struct tmy_cap_event.
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

static __always_inline void tmy_cap_event(const struct tmy_dom *d, __u16 type, __u32 cap, __u8 flags)
{
	struct tmy_cap_event e;

	tmy_event_hdr(&e.hdr, type, sizeof(e), d->domain);
	e.cap = cap;
	e.category = TMY_CAT_CAPABILITY;
	e.mode = d->mode;
	e.profile = d->profile;
	e.flags = flags;
	if (bpf_ringbuf_output(&tmy_events, &e, sizeof(e), 0))
		tmy_stat(TMY_STAT_EVENTS_DROPPED);
	else
		tmy_stat(TMY_STAT_EVENTS);
}

/* Learning: OR bit `cap` into the domain's entry. Quota as for files. */
static __always_inline void tmy_cap_learn(const struct tmy_dom *d, __u32 cap)
{
	struct tmy_domain_key k = { .domain = d->domain, .generation = d->gen };
	struct tmy_domain_val *dv = tmy_dom_entry(d);
	struct tmy_cap_val *v;
	__u64 bit = 1ULL << cap;

	if (!dv || (dv->flags & TMY_DOMAIN_QUOTA_EXCEEDED))
		return;
	if (d->max_learn && dv->learned >= d->max_learn) {
		if (!(__sync_fetch_and_or(&dv->flags, TMY_DOMAIN_QUOTA_EXCEEDED) & TMY_DOMAIN_QUOTA_EXCEEDED))
			tmy_cap_event(d, TMY_EV_CAP_AUDIT, cap, TMY_ACCESS_QUOTA_EXCEEDED);
		return;
	}
	v = bpf_map_lookup_elem(&tmy_cap_rules, &k);
	if (!v) {
		struct tmy_cap_val nv = { .allowed = bit, .learned = bit };

		if (!bpf_map_update_elem(&tmy_cap_rules, &k, &nv, BPF_NOEXIST))
			goto added;
		v = bpf_map_lookup_elem(&tmy_cap_rules, &k); /* lost a race with another CPU */
		if (!v) {
			tmy_stat(TMY_STAT_RULES_FULL);
			return;
		}
	}
	if (__sync_fetch_and_or(&v->allowed, bit) & bit)
		return;
	__sync_fetch_and_or(&v->learned, bit);
added:
	__sync_fetch_and_add(&dv->learned, 1);
	tmy_stat(TMY_STAT_LEARNED);
	tmy_cap_event(d, TMY_EV_CAP_LEARN, cap, 0);
}

SEC("lsm/capable")
int BPF_PROG(tmy_capable, const struct cred *cred, struct user_namespace *ns, int cap, unsigned int opts,
	     int ret)
{
	struct task_struct *task;
	struct tmy_domain_key k;
	struct tmy_cap_val *v;
	struct tmy_cur cur;
	struct tmy_dom d;
	bool noaudit;

	if (ret)
		return tmy_prev_ret(ret);
	task = bpf_get_current_task_btf();
	if ((__u64)cred != (__u64)BPF_CORE_READ(task, cred) ||
	    (__u64)cred != (__u64)BPF_CORE_READ(task, real_cred))
		return 0;
	if (cap < 0 || cap >= TMY_CAP_MAX)
		return 0; /* no such capability: nothing a rule could name */
	tmy_cur_from(&cur, tmy_task_of_current());
	tmy_dom_resolve(&d, cur.domain, cur.profile, tmy_generation(), TMY_CAT_CAPABILITY);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	noaudit = opts & TMY_CAP_OPT_NOAUDIT;
	k.domain = d.domain;
	k.generation = d.gen;
	k._pad = 0;
	v = bpf_map_lookup_elem(&tmy_cap_rules, &k);
	if (v && (v->allowed & (1ULL << cap))) {
		if ((d.pflags & TMY_PROFILE_GRANT_LOG) && !noaudit)
			tmy_cap_event(&d, TMY_EV_CAP_AUDIT, cap, TMY_ACCESS_GRANTED);
		return 0;
	}
	switch (d.mode) {
	case TMY_MODE_LEARNING:
		if (!noaudit)
			tmy_cap_learn(&d, cap);
		return 0;
	case TMY_MODE_PERMISSIVE:
		if ((d.pflags & TMY_PROFILE_REJECT_LOG) && !noaudit)
			tmy_cap_event(&d, TMY_EV_CAP_AUDIT, cap, 0);
		return 0;
	default:
		if ((d.pflags & TMY_PROFILE_REJECT_LOG) && !noaudit)
			tmy_cap_event(&d, TMY_EV_CAP_AUDIT, cap, 0);
		if (!noaudit)
			tmy_stat(TMY_STAT_DENIED); /* probes are not reported, not even here */
		return -TMY_EPERM;
	}
}
