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
 *  - no task storage for the record: counted in TMY_STAT_EXEC_LINK_UNNAMED, the exec is named
 *    after the opened file (today's behaviour); not flagged in events (nothing is left to tell);
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
 * The name of the exec's program into n (in s->path): the confirmed link record of this exec's
 * file if there is one, else the opened file's name. Deletes the task's record either way.
 */
static __always_inline void tmy_exec_program_name(struct tmy_scratch *s, struct linux_binprm *bprm,
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
			bpf_probe_read_kernel(s->path, len, rec->name);
			n->off = 0;
			n->len = len;
			n->flags = 0;
			n->nprefix = 0;
			n->hash = 0;
		}
		tmy_link_rec_drop();
		return;
	}
	if (rec)
		tmy_link_rec_drop();
	tmy_name_path(s, &file->f_path, n);
}

#endif /* TMY_LINK_BPF_H */
