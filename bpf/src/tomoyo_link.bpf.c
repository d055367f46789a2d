// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o: the name of a program executed through a symlink (issue 6), recorded during the
 * exec's path walk and confirmed at its open; see tmy_link.bpf.h for the design. Neither hook
 * ever refuses anything: both pass on an earlier program's verdict.
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
#include "tmy_link.bpf.h"

#define TMY_FMODE_EXEC_FLAG 0x20 /* __FMODE_EXEC in f_flags: set by open_exec()/do_open_execat() */
#define TMY_FMODE_NOACCOUNT 0x20000000 /* f_mode of a kernel-internal stand-in file, 6.1..6.12
                                        * (see tomoyo_file.bpf.c) */

/*
 * Builds "name(dir) + '/' + link" into rec (dir = the resolved directory the walk found the
 * link in, named as every TOMOYO name is: tmy_name_dentry, which ends a directory in '/').
 * Returns false if it cannot (the caller flags the record).
 */
static __always_inline bool tmy_link_build(struct tmy_scratch *s, struct nameidata *nd,
					   struct dentry *link, struct tmy_link_rec *rec)
{
	struct tmy_name *n = &s->name;
	const unsigned char *lname;
	__u32 off, end, dlen, total;

	tmy_name_dentry(s, BPF_CORE_READ(nd, path.mnt), BPF_CORE_READ(nd, path.dentry), n);
	if (n->flags & TMY_NAME_UNRESOLVED)
		return false;
	off = n->off;
	end = off + n->len;
	/* the walk's names end at TMY_PATH_END (+1 for a directory's '/') */
	if (off > TMY_PATH_END || end > TMY_PATH_END + 1 || end == 0)
		return false;
	if (s->path[(end - 1) & TMY_PATH_MASK] != '/') {
		s->path[end & TMY_PATH_MASK] = '/';
		end++;
	}
	dlen = BPF_CORE_READ(link, d_name.len);
	lname = BPF_CORE_READ(link, d_name.name);
	if (dlen == 0 || dlen > 255 || end > TMY_PATH_END + 2)
		return false;
	if (bpf_probe_read_kernel(s->path + end, dlen, lname))
		return false;
	total = end + dlen - off;
	if (total >= TMY_PATH_MAX || off > TMY_PATH_END)
		return false;
	if (bpf_probe_read_kernel(rec->name, total, s->path + off))
		return false;
	rec->len = total;
	return true;
}

SEC("lsm/inode_follow_link")
int BPF_PROG(tmy_inode_follow_link, struct dentry *dentry, struct inode *inode, bool rcu, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct nameidata *nd = BPF_CORE_READ(task, nameidata);
	struct tmy_link_rec *rec;
	struct tmy_scratch *s;
	const char *orig;
	const unsigned char *last;
	__u32 llen, slot = 0;
	__s32 count;
	bool trailing = false;
	char c = 1;

	if (ret)
		return tmy_prev_ret(ret);
	if (!nd)
		return 0;
	count = BPF_CORE_READ(nd, total_link_count);
	if (BPF_CORE_READ(nd, depth) == 1 && BPF_CORE_READ(nd, last_type) == TMY_LAST_NORM &&
	    (BPF_CORE_READ(nd, flags) & TMY_LOOKUP_OPEN)) {
		orig = BPF_CORE_READ(nd, name, name);
		last = BPF_CORE_READ(nd, last.name);
		llen = BPF_CORE_READ(nd, last.len);
		/* the link's name lies in the execve string (not in a link body) and ends it */
		if (orig && (__u64)last >= (__u64)orig &&
		    (__u64)last + llen < (__u64)orig + TMY_PATH_MAX &&
		    !bpf_probe_read_kernel(&c, 1, last + llen))
			trailing = c == 0;
	}

	rec = tmy_link_rec_of_current();
	if (!trailing) {
		if (rec && rec->state == TMY_LINK_ARMED) {
			if (rec->nd == (__u64)nd && count == rec->count + 1)
				rec->count = count; /* the same walk, inside the recorded link's body */
			else
				rec->state = TMY_LINK_NONE; /* another walk: the record is stale */
		}
		return 0;
	}

	if (!rec)
		rec = bpf_task_storage_get(&tmy_exec_links, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!rec) {
		tmy_stat(TMY_STAT_EXEC_LINK_UNNAMED);
		return 0;
	}
	rec->nd = (__u64)nd;
	rec->count = count;
	rec->file = 0;
	rec->flags = 0;
	rec->len = 0;
	rec->state = TMY_LINK_ARMED;
	s = tmy_scratch_get(&slot);
	if (!s || !tmy_link_build(s, nd, dentry, rec)) {
		rec->flags = TMY_LINK_F_UNNAMED;
		tmy_stat(TMY_STAT_EXEC_LINK_UNNAMED);
	}
	tmy_scratch_put(s);
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(tmy_link_file_open, struct file *file, int ret)
{
	struct tmy_link_rec *rec = tmy_link_rec_of_current();
	struct nameidata *nd;

	if (!rec)
		return ret ? tmy_prev_ret(ret) : 0;
	/* overlayfs (the real file behind the exec's overlay file) and cachefiles open a stand-in
	 * file inside the exec's own open: it is not another walk, so the record stays */
	if (BPF_CORE_READ(file, f_mode) & TMY_FMODE_NOACCOUNT)
		return ret ? tmy_prev_ret(ret) : 0;
	nd = BPF_CORE_READ((struct task_struct *)bpf_get_current_task_btf(), nameidata);
	if (!ret && rec->state == TMY_LINK_ARMED && (BPF_CORE_READ(file, f_flags) & TMY_FMODE_EXEC_FLAG) &&
	    nd && rec->nd == (__u64)nd && rec->count == BPF_CORE_READ(nd, total_link_count)) {
		rec->state = TMY_LINK_CONFIRMED;
		rec->file = (__u64)file;
	} else {
		tmy_link_rec_drop();
	}
	return ret ? tmy_prev_ret(ret) : 0;
}
