// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o: TOMOYO 2.6's single-path file operations on the hooks its tomoyo.c uses
 * (each as tomoyo_path_perm() judges it; names as tmy_path.bpf.h builds them):
 *   file unlink    path_unlink(dir, dentry)     name of { dir->mnt, dentry }
 *   file rmdir     path_rmdir(dir, dentry)      the same, always ending in '/' (tomoyo_add_slash:
 *                                               rmdir of a non-directory is judged before the VFS
 *                                               says ENOTDIR, as ".../file/")
 *   file symlink   path_symlink(dir, dentry, target)  the new link's name (negative dentry);
 *                                               the target is not judged (symlink.target is a
 *                                               condition, not enforced yet)
 *   file truncate  path_truncate(path)          truncate(2); on 6.1 also ftruncate(2) and
 *                  file_truncate(file)          open(O_TRUNC); 6.2+ moved those two to
 *                                               file_truncate (program tmy_file_truncate, which
 *                                               user space loads only where the hook exists)
 *   file chroot    path_chroot(path)            the new root, ending in '/'
 *   file unmount   sb_umount(mnt, flags)        { mnt, mnt->mnt_root }: the mount point + '/'
 *   file getattr   inode_getattr(path)          stat/lstat/statx/fstat; sockets are not judged
 *                                               (tomoyo.c: their name is unsafe to build there);
 *                                               nor, unlike TOMOYO, files named by d_dname
 *                                               (fstat of a pipe: "pipe:[4026532]"): that name
 *                                               changes with every pipe, only the pattern
 *                                               pipe:[\$] could grant it and the kernel does not
 *                                               match patterns yet, so enforcing getattr would
 *                                               break every program whose stdout is a pipe
 *                                               (GNU cat dies when fstat(1) fails).
 * Same decision table, learning and events as file read (tmy_file_check with the new TMY_PERM_*
 * bit). A disabled domain costs three map lookups on every hook (task storage, tmy_domains,
 * tmy_profiles) and no name: getattr runs on every stat.
 *
 * bpf_d_path is allowed only on inode_getattr among these hooks: the others name by the dentry
 * walk (tmy_name_dentry). Overlayfs's inner getattr of a layer's file (ovl_getattr ->
 * vfs_getattr under the mounter's override_creds) is not judged: the user's stat of the overlay
 * file was judged first, under the name the user sees (the same decision as file_open's
 * FMODE_NOACCOUNT skip, and as capable's override_creds skip).
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

#define TMY_S_IFSOCK 0140000

/* The file's mode for the calling task's domain, or TMY_MODE_DISABLED: the three lookups. */
static __always_inline void tmy_fileop_dom(struct tmy_dom *d)
{
	struct tmy_cur cur;

	tmy_cur_from(&cur, tmy_task_of_current());
	tmy_dom_resolve(d, cur.domain, cur.profile, tmy_generation(), TMY_CAT_FILE);
}

/*
 * The program's return value for a decision. clang may compute "deny ? -EPERM : 0" without a
 * branch (shifts), which 6.12's verifier cannot bound to [-4095, 0] at the exit; the barrier
 * hides the two values and tmy_prev_ret's range check gives the verifier its bound.
 */
static __always_inline int tmy_lsm_ret(bool deny)
{
	int r = deny ? -TMY_EPERM : 0;

	asm volatile("" : "+r"(r));
	return tmy_prev_ret(r);
}

/* tomoyo_add_slash(): a name not ending in '/' gets one (the walk leaves room for it). */
static __always_inline void tmy_add_slash(struct tmy_scratch *s, struct tmy_name *n)
{
	if ((n->flags & TMY_NAME_UNRESOLVED) || !n->len || n->len >= TMY_PATH_MAX - 1)
		return;
	if (s->path[(n->off + n->len - 1) & TMY_PATH_MASK] == '/')
		return;
	s->path[(n->off + n->len) & TMY_PATH_MASK] = '/';
	n->len++;
}

/*
 * Judges `perm` on the file (mnt, dentry) for the domain d (not disabled). `dpath`: the same file
 * as a trusted struct path pointer where bpf_d_path is allowed, else NULL (walk only).
 */
static __always_inline int tmy_fileop_check(const struct tmy_dom *d, struct path *dpath,
					    struct vfsmount *mnt, struct dentry *dentry,
					    __u32 perm, bool slash)
{
	struct tmy_scratch *s;
	__u32 slot = 0;
	int rc;

	s = tmy_scratch_get(&slot);
	if (!s) {
		/* tmy_scratch_get counted TMY_STAT_SCRATCH_BUSY: no name, judged as unresolved */
		return tmy_lsm_ret(d->mode == TMY_MODE_ENFORCING);
	}
	s->dom = *d;
	if (dpath)
		tmy_name_path(s, dpath, &s->name);
	else
		tmy_name_dentry(s, mnt, dentry, &s->name);
	if (slash)
		tmy_add_slash(s, &s->name);
	if (!(s->name.flags & TMY_NAME_UNRESOLVED))
		tmy_hash_name(s, &s->name);
	rc = tmy_file_check(s, s->name.hash, perm, TMY_CHECK_SUBTREE);
	tmy_scratch_put(s);
	return tmy_lsm_ret(rc != 0); /* the global function's result is unknown to the verifier */
}

/* For the hooks with (dir, dentry): the entry's name under dir's mount. */
static __always_inline int tmy_fileop_entry(const struct path *dir, struct dentry *dentry, __u32 perm,
					    bool slash)
{
	struct tmy_dom d;

	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	return tmy_fileop_check(&d, NULL, BPF_CORE_READ(dir, mnt), dentry, perm, slash);
}

static __always_inline int tmy_fileop_path(const struct path *path, __u32 perm, bool slash)
{
	struct tmy_dom d;

	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	return tmy_fileop_check(&d, NULL, BPF_CORE_READ(path, mnt), BPF_CORE_READ(path, dentry), perm, slash);
}

SEC("lsm/path_unlink")
int BPF_PROG(tmy_path_unlink, const struct path *dir, struct dentry *dentry, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_fileop_entry(dir, dentry, TMY_PERM_UNLINK, false);
}

SEC("lsm/path_rmdir")
int BPF_PROG(tmy_path_rmdir, const struct path *dir, struct dentry *dentry, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_fileop_entry(dir, dentry, TMY_PERM_RMDIR, true);
}

SEC("lsm/path_symlink")
int BPF_PROG(tmy_path_symlink, const struct path *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_fileop_entry(dir, dentry, TMY_PERM_SYMLINK, false);
}

SEC("lsm/path_truncate")
int BPF_PROG(tmy_path_truncate, const struct path *path, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_fileop_path(path, TMY_PERM_TRUNCATE, false);
}

/*
 * 6.2+ only (ftruncate, open O_TRUNC). "?": libbpf does not load it unless user space asks, which
 * the loaders do only when the running kernel's BTF has bpf_lsm_file_truncate. The struct file
 * argument is not in 6.1's vmlinux.h hook list, but its type is, so this compiles everywhere.
 */
SEC("?lsm/file_truncate")
int BPF_PROG(tmy_file_truncate, struct file *file, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_fileop_path(&file->f_path, TMY_PERM_TRUNCATE, false);
}

SEC("lsm/path_chroot")
int BPF_PROG(tmy_path_chroot, const struct path *path, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_fileop_path(path, TMY_PERM_CHROOT, true);
}

SEC("lsm/sb_umount")
int BPF_PROG(tmy_sb_umount, struct vfsmount *mnt, int flags, int ret)
{
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	return tmy_fileop_check(&d, NULL, mnt, BPF_CORE_READ(mnt, mnt_root), TMY_PERM_UNMOUNT, false);
}

SEC("lsm/inode_getattr")
int BPF_PROG(tmy_inode_getattr, const struct path *path, int ret)
{
	struct task_struct *task;
	struct dentry *dentry;
	struct inode *inode;
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0; /* before anything else: stat is the hottest file hook */
	task = bpf_get_current_task_btf();
	if (BPF_CORE_READ(task, cred) != BPF_CORE_READ(task, real_cred))
		return 0; /* overlayfs's inner getattr (see the top) */
	dentry = BPF_CORE_READ(path, dentry);
	inode = BPF_CORE_READ(dentry, d_inode);
	if (inode && (BPF_CORE_READ(inode, i_mode) & TMY_S_IFMT) == TMY_S_IFSOCK)
		return 0;
	if (BPF_CORE_READ(dentry, d_op, d_dname))
		return 0; /* pipe:[N], anon_inode:[...]: see the top */
	return tmy_fileop_check(&d, (struct path *)path, NULL, NULL, TMY_PERM_GETATTR, false);
}
