/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The calling task's domain (task storage "tmy_tasks"). A task without storage, or with a
 * zeroed entry, is in "<kernel>": tasks that existed before the programs were attached, kernel
 * threads, and everything forked from them without an exec.
 *
 * Include after tmy_maps.bpf.h.
 */
#ifndef TMY_TASK_BPF_H
#define TMY_TASK_BPF_H

struct tmy_cur {
	__u64 domain;
	__u64 ns;
	__u64 last_name;
	__u8  profile;   /* the task's fallback profile (0 for <kernel> without storage) */
	__u8  _pad[7];
};

static __always_inline void tmy_cur_from(struct tmy_cur *c, const struct tmy_task *t)
{
	if (t && t->domain) {
		c->domain = t->domain;
		c->ns = t->ns;
		c->last_name = t->last_name;
		c->profile = t->profile;
	} else {
		c->domain = TMY_KERNEL_DOMAIN_ID;
		c->ns = TMY_KERNEL_DOMAIN_ID;
		c->last_name = TMY_KERNEL_DOMAIN_ID; /* the last word of "<kernel>" is "<kernel>" */
		c->profile = 0;
	}
}

static __always_inline struct tmy_task *tmy_task_of_current(void)
{
	return bpf_task_storage_get(&tmy_tasks, bpf_get_current_task_btf(), 0, 0);
}

#endif /* TMY_TASK_BPF_H */
