// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, the first part (linked by `bpftool gen object`, see the Makefile): owns the maps,
 * anchors every struct of tomoyo_abi.h in the object's BTF (user space checks its layouts
 * against it), and keeps the domain across fork.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#define TMY_MAPS_OWNER
#include "tmy_maps.bpf.h"
#include "tmy_task.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * BTF anchors: structs that are no map's key or value (events are raw ring-buffer bytes) would
 * otherwise not be in the BTF. Never read or written. A pointer member only gives the BTF a
 * forward declaration unless the struct is complete elsewhere in it (a map value, the scratch's
 * event union), so the events built on the stack are anchored by value.
 */
struct tmy_abi_anchor {
	struct tmy_event_hdr *hdr;
	struct tmy_domain_event *dom_ev;
	struct tmy_access_event *acc_ev;
	struct tmy_profile *profile;
	struct tmy_state *state;
	struct tmy_task *task;
	struct tmy_domain_key *dk;
	struct tmy_domain_val *dv;
	struct tmy_path_key *pk;
	struct tmy_path_val *pv;
	struct tmy_transition_key *tk;
	struct tmy_aggregator_key *ak;
	struct tmy_aggregator_val *av;
	struct tmy_inet_key *ik;
	struct tmy_inet_range_key *irk;
	struct tmy_inet_range_val *irv;
	struct tmy_port_key *portk;
	struct tmy_port_val *portv;
	struct tmy_cap_val *cv;
	struct tmy_signal_key *sk;
	struct tmy_net_event *net_ev;
	struct tmy_cap_event cap_ev;
	struct tmy_signal_event sig_ev;
	enum tmy_net_proto np;
	enum tmy_net_op no;
	enum tmy_mode mode;
	enum tmy_category cat;
	enum tmy_match match;
	enum tmy_transition_type tt;
	enum tmy_from_kind fk;
	enum tmy_stat stat;
	enum tmy_event_type et;
};
struct tmy_abi_anchor tmy_abi_anchor; /* .bss: ~370 bytes, one small array map */

/*
 * fork/clone (processes and threads): the child starts in the parent's domain, as TOMOYO's
 * tomoyo_task_alloc does. A parent without storage is in <kernel>, and so is the child: nothing
 * to copy. If the child's storage cannot be allocated, the fork fails with -ENOMEM rather than
 * letting the child silently fall back to <kernel> (counted in TMY_STAT_TASK_NO_STORAGE).
 */
SEC("lsm/task_alloc")
int BPF_PROG(tmy_task_alloc, struct task_struct *task, unsigned long clone_flags, int ret)
{
	struct tmy_task *parent, *child;

	if (ret)
		return tmy_prev_ret(ret);
	parent = tmy_task_of_current();
	if (!parent || !parent->domain)
		return 0;
	child = bpf_task_storage_get(&tmy_tasks, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!child) {
		tmy_stat(TMY_STAT_TASK_NO_STORAGE);
		return -TMY_ENOMEM;
	}
	child->domain = parent->domain;
	child->ns = parent->ns;
	child->last_name = parent->last_name;
	child->profile = parent->profile;
	child->pending_domain = 0;
	child->pending_ns = 0;
	child->pending_last_name = 0;
	child->pending_profile = 0;
	child->flags = 0;
	return 0;
}
