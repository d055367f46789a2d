/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Issue 6: the name TOMOYO gives an executed program is the path as executed with its directory
 * part resolved and its LAST symlink NOT followed (tomoyo_realpath_nofollow(bprm->filename)):
 * /bin/sh on a usr-merged Debian is "/usr/bin/sh" (not /usr/bin/dash), a busybox applet
 * /tmp/bb/bin/cat -> ../busybox is "/tmp/bb/bin/cat". When the final component is not a
 * symlink, the name of the opened file (bprm->file) is already that name.
 *
 * How the final-symlink case is caught (tomoyo_link.bpf.c records, tomoyo_exec.bpf.c consumes):
 *
 *  1. lsm/inode_follow_link runs in the path walk (fs/namei.c pick_link) for every symlink the
 *     walk follows, after nd->depth was raised for it and nd->total_link_count counted it, with
 *     current->nameidata live: nd->path is the directory the link was found in (resolved), and
 *     nd->last its name. The link is the final component of the string given to execve exactly
 *     when depth == 1 (not inside another link's body), nd->last lies in the original string
 *     (nd->name->name) and is followed by its NUL. Walks with open intent (LOOKUP_OPEN) record
 *     (nothing in the walk tells an exec's open from another: task_struct.in_execve is set
 *     only after the exec's open on 6.12, and __FMODE_EXEC is not in the nameidata, so every
 *     open through a final symlink pays for one name build; file_open then sorts them out):
 *     name(nd->path) + "/" + the link's d_name, built with the dentry walk of tmy_path.bpf.h
 *     (bpf_d_path is not allowed in this hook), into the task's tmy_exec_links record, ARMED,
 *     with (nd, total_link_count) identifying the walk.
 *     Every later link of the SAME walk (consecutive total_link_count, same nd: the links of a
 *     chain such as /usr/bin/awk -> /etc/alternatives/awk -> /usr/bin/mawk) only advances the
 *     count; a link of any other walk clears the record (a walk that failed after recording).
 *  2. lsm/file_open: an open with __FMODE_EXEC whose live nameidata is the recorded walk with no
 *     link followed since (same nd, same total_link_count) CONFIRMS the record for that struct
 *     file; any other open of the task deletes it (a new walk that followed no link cannot be
 *     confused with the stale record of an earlier failed one: its count is 0).
 *  3. the exec's first bprm_check_security uses the record iff it is CONFIRMED for bprm->file,
 *     then deletes it; interpreter checks and bprm_committed_creds delete leftovers (the ELF
 *     interpreter's own open_exec records one too).
 *
 * Defined decisions where the kernel cannot name exactly:
 *  - the name cannot be built (longer than PATH_MAX, walk failure, no scratch slot):
 *    TMY_LINK_F_UNNAMED; the exec is judged as an unresolved name (tomoyo_exec.bpf.c: no
 *    transition, refused in enforcing, TMY_ACCESS_PATH_UNRESOLVED in the audit event),
 *    counted in TMY_STAT_EXEC_LINK_UNNAMED;
 *  - no record although the final component was a symlink (no task storage for it, or a walk
 *    not foreseen here): seen in bprm_check_security because the last component of
 *    bprm->filename differs from the opened file's name (tmy_exec_link_missed); judged as an
 *    unresolved name like the above and counted in the same stat. A lost record of a link
 *    whose name equals its target's last component (/opt/x/cat -> /usr/bin/cat) cannot be
 *    seen this way: that exec is named after the target (counted in the stat by the follow
 *    hook when it lost the record for want of storage);
 *  - execveat(dirfd, "", AT_EMPTY_PATH) (fexecve) walks no path: named after the opened file,
 *    where TOMOYO would name "/dev/fd/N" resolved without following (a procfs name).
 *
 * Include after tmy_path.bpf.h.
 */
#ifndef TMY_LINK_BPF_H
#define TMY_LINK_BPF_H

#define TMY_LOOKUP_OPEN 0x0100 /* include/linux/namei.h, 6.1 and 6.12 */
#define TMY_LAST_NORM   0      /* enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT } */

static __always_inline struct tmy_link_rec *tmy_link_rec_of_current(void)
{
	return bpf_task_storage_get(&tmy_exec_links, bpf_get_current_task_btf(), 0, 0);
}

static __always_inline void tmy_link_rec_drop(void)
{
	bpf_task_storage_delete(&tmy_exec_links, bpf_get_current_task_btf());
}

/*
 * No confirmed record: was the final component a symlink all the same (its record lost: no task
 * storage, or a walk this file did not foresee)? Then the last component of the string given to
 * execve (bprm->filename) differs from the opened file's own name. "/dev/fd/N" (fexecve,
 * execveat(AT_EMPTY_PATH)) is no such case: nothing was walked there. Uses s->ev.path and
 * s->prefix as buffers (both are rewritten before they are used for the name).
 */
static __always_inline bool tmy_exec_link_missed(struct tmy_scratch *s, struct linux_binprm *bprm)
{
	struct dentry *d = BPF_CORE_READ(bprm, file, f_path.dentry);
	const unsigned char *dname = BPF_CORE_READ(d, d_name.name);
	__u32 dlen = BPF_CORE_READ(d, d_name.len);
	char *buf = s->ev.path;
	char *own = (char *)s->prefix;
	long n = bpf_probe_read_kernel_str(buf, TMY_PATH_MAX, BPF_CORE_READ(bprm, filename));
	__s32 start;

	if (n <= 1 || dlen == 0 || dlen > 255)
		return false;
	n -= 1;
	if (n >= 8 && buf[0] == '/' && buf[1] == 'd' && buf[2] == 'e' && buf[3] == 'v' &&
	    buf[4] == '/' && buf[5] == 'f' && buf[6] == 'd' && buf[7] == '/')
		return false;
	if (n < dlen)
		return true;
	start = n - dlen;
	if (start > 0 && buf[(start - 1) & (TMY_PATH_MAX - 1)] != '/')
		return true;
	if (bpf_probe_read_kernel(own, dlen, dname))
		return false;
	for (__u32 i = 0; i < 255; i++) {
		if (i >= dlen)
			break;
		if (buf[(start + i) & (TMY_PATH_MAX - 1)] != own[i])
			return true;
	}
	return false;
}

/* tomoyo_exec.bpf.c: the names behind an exec's name, exec.realpath being the opened file's
 * own name, (mnt, dentry) parked in s->prefix[0..1] */
int tmy_exec_tail_linked(struct tmy_scratch *s);

#define TMY_EXEC_NAMED_FILE 0 /* the program's name is the opened file's (= exec.realpath) */
#define TMY_EXEC_NAMED_LINK 1 /* named after a final symlink; exec.realpath stashed if s->xi.n */

/*
 * The name of the exec's program into n (in s->path): the confirmed link record of this exec's
 * file if there is one, else the opened file's name. Deletes the task's record either way.
 * Returns TMY_EXEC_NAMED_*.
 */
static __always_inline int tmy_exec_program_name(struct tmy_scratch *s, struct linux_binprm *bprm,
						 struct tmy_name *n)
{
	struct tmy_link_rec *rec = tmy_link_rec_of_current();
	struct file *file = bprm->file;

	if (rec && rec->state == TMY_LINK_CONFIRMED && rec->file == (__u64)file) {
		__u32 len = rec->len;

		if ((rec->flags & TMY_LINK_F_UNNAMED) || len == 0 || len >= TMY_PATH_MAX) {
			/* best effort for the log: the opened file's last component */
			n->flags = 0;
			tmy_name_fallback(s, BPF_CORE_READ(file, f_path.dentry), n);
		} else {
			/* exec.realpath: the opened file's own name, built (and its inode read
			 * for path1.*) before the link's name takes its place */
			s->prefix[0] = (__u64)BPF_CORE_READ(file, f_path.mnt);
			s->prefix[1] = (__u64)BPF_CORE_READ(file, f_path.dentry);
			tmy_exec_tail_linked(s);
			bpf_probe_read_kernel(s->path, len, rec->name);
			n->off = 0;
			n->len = len;
			n->flags = 0;
			n->nprefix = 0;
			n->hash = 0;
		}
		tmy_link_rec_drop();
		return TMY_EXEC_NAMED_LINK;
	}
	if (rec)
		tmy_link_rec_drop();
	if (tmy_exec_link_missed(s, bprm)) {
		/* named after the link's target it would be misnamed: unresolved instead */
		tmy_stat(TMY_STAT_EXEC_LINK_UNNAMED);
		n->flags = 0;
		tmy_name_fallback(s, BPF_CORE_READ(file, f_path.dentry), n);
		return TMY_EXEC_NAMED_LINK;
	}
	tmy_name_path(s, &file->f_path, n);
	return TMY_EXEC_NAMED_FILE;
}

#endif /* TMY_LINK_BPF_H */
