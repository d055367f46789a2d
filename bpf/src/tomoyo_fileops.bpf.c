// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o: TOMOYO 2.6's single-path file operations on the hooks its tomoyo.c uses
 * (each as tomoyo_path_perm() judges it; names as tmy_path.bpf.h builds them):
 *   file unlink    path_unlink(dir, dentry)     name of { dir->mnt, dentry }
 *   file rmdir     path_rmdir(dir, dentry)      the same, always ending in '/' (tomoyo_add_slash:
 *                                               rmdir of a non-directory is judged before the VFS
 *                                               says ENOTDIR, as ".../file/")
 *   file symlink   path_symlink(dir, dentry, target)  the new link's name (negative dentry);
 *                                               with symlink.target behind it (see the hook)
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

/*
 * file symlink: the new link's name, with symlink.target (the target string as given) behind it
 * for the learned form "file symlink NAME symlink.target="T"" (tomoyo_abi.h "learned conditions
 * on names"). A target that cannot be read (or of TMY_XREAD_MAX - 1 = 4087 bytes or more) leaves
 * the check without the name behind it: only the rules on NAME itself can grant it, and learning
 * records "file symlink NAME" alone.
 */
SEC("lsm/path_symlink")
int BPF_PROG(tmy_path_symlink, const struct path *dir, struct dentry *dentry, const char *old_name,
	     int ret)
{
	struct tmy_scratch *s;
	struct tmy_dom d;
	__u32 slot = 0;
	long r;
	int rc;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	s = tmy_scratch_get(&slot);
	if (!s)
		return tmy_lsm_ret(d.mode == TMY_MODE_ENFORCING);
	s->dom = d;
	tmy_name_dentry(s, BPF_CORE_READ(dir, mnt), dentry, &s->name);
	if (!(s->name.flags & TMY_NAME_UNRESOLVED)) {
		struct tmy_xbuf *x = tmy_xbuf_of(s);

		s->xi.kind = TMY_XINFO_SYMLINK;
		r = bpf_probe_read_kernel_str(s->path + TMY_XREAD_OFF, TMY_XREAD_MAX, old_name);
		if (x && r > 1 && r < TMY_XREAD_MAX) {
			s->xi.h1 = tmy_hash_bytes(s, TMY_XREAD_OFF, r - 1);
			x->tail[0] = 0;
			bpf_probe_read_kernel(x->tail + 1, r - 1, s->path + TMY_XREAD_OFF);
			s->xi.tlen = r; /* '\0' + r - 1 bytes */
			s->xi.n = 1;
		}
		tmy_hash_name(s, &s->name);
	}
	rc = tmy_file_check(s, s->name.hash, TMY_PERM_SYMLINK, TMY_CHECK_SUBTREE | TMY_CHECK_INFO);
	tmy_scratch_put(s);
	return tmy_lsm_ret(rc != 0);
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

/* ---- operations with a number or a second name (TMY_PERM_CREATE..PIVOT_ROOT) -----------------
 * The object is "NAME1\0ARG" (tomoyo_abi.h): the name is built as for the single-path
 * operations, then '\0' and the argument are appended in the scratch buffer behind it, and the
 * whole string is hashed, judged by tmy_file_check without subtree prefixes (a subtree rule
 * grants none of these bits), and sent in events.
 */
#define TMY_S_IALLUGO 07777
#define TMY_S_IFREG   0100000
#define TMY_S_IFIFO   0010000
#define TMY_S_IFCHR   0020000
#define TMY_S_IFBLK   0060000
#define TMY_RENAME_EXCHANGE 2
#define TMY_RADIX_DEC 0
#define TMY_RADIX_OCT 1
#define TMY_RADIX_HEX 2
#define TMY_ARG_MAX   40  /* the longest number argument: "0" + 22 octal digits, or mkdev's
                           * three numbers with two spaces, with room to spare */
#define TMY_NAME2_MAX (TMY_PATH_MAX - 2) /* a second name longer than this cannot fit */

/* s->path[*pos] = c, *pos += 1 (pos bounded by the mask; callers keep it below TMY_PATH_BUF). */
static __always_inline void tmy_app_char(struct tmy_scratch *s, __u32 *pos, char c)
{
	s->path[*pos & TMY_PATH_MASK] = c;
	*pos += 1;
}

/* '0' + d, plus 7 when d > 9 ('A' - '9' - 1): branch-free. */
static __always_inline char tmy_digit(__u32 d)
{
	return '0' + d + (((__s32)(9 - d) >> 31) & 7);
}

struct tmy_fmt {
	struct tmy_scratch *s;
	__u32 base;
};

/*
 * Digit i (from the last) of the value in s->ls.h into s->ev.path[31 - i], s->ls.cnt = digits
 * so far. A bpf_loop callback, verified once (unrolled digit loops made path_mknod too complex
 * for the verifier: E2BIG); the changing state lives in the map value, not in the callback's
 * stack context, for the reason tmy_maps.bpf.h gives for tmy_loop_state.
 */
static long tmy_fmt_step(__u32 i, struct tmy_fmt *c)
{
	struct tmy_scratch *s = c->s;

	if (!s || !c->base)
		return 1;
	s->ev.path[(31 - i) & 31] = tmy_digit((s->ls.h % c->base) & 15);
	s->ls.cnt = i + 1;
	s->ls.h /= c->base;
	return s->ls.h ? 0 : 1;
}

/* Appends v as tomoyo_print_ulong() prints it: "%lu", "0%lo" or "0x%lX". The digits are made
 * in s->ev.path (free until tmy_file_check sends an event) and copied behind *pos. */
static __always_inline void tmy_app_ulong(struct tmy_scratch *s, __u32 *pos, __u64 v, int radix)
{
	struct tmy_fmt c = {
		.s = s, .base = radix == TMY_RADIX_HEX ? 16 : radix == TMY_RADIX_OCT ? 8 : 10,
	};
	__u32 n;

	s->ls.h = v; /* tmy_hash_name, which also uses ls, runs after the argument is complete */
	s->ls.cnt = 0;

	if (radix == TMY_RADIX_OCT) {
		tmy_app_char(s, pos, '0');
	} else if (radix == TMY_RADIX_HEX) {
		tmy_app_char(s, pos, '0');
		tmy_app_char(s, pos, 'x');
	}
	bpf_loop(22, tmy_fmt_step, &c, 0); /* a 64-bit value has at most 22 octal digits */
	n = s->ls.cnt;
	if (n < 1 || n > 22)
		return;
	bpf_probe_read_kernel(s->path + (*pos & TMY_PATH_MASK), n, s->ev.path + ((32 - n) & 31));
	*pos += n;
}

/*
 * Names (mnt, dentry) into s->name with a trailing '/' if `slash`. Returns false if the name is
 * unresolved or leaves no room for an argument (then s->name is marked unresolved: the check
 * is made as for any unnamed file).
 */
static __always_inline bool tmy_fileop_name(struct tmy_scratch *s, struct vfsmount *mnt,
					    struct dentry *dentry, bool slash)
{
	tmy_name_dentry(s, mnt, dentry, &s->name);
	if (slash)
		tmy_add_slash(s, &s->name);
	if (s->name.flags & TMY_NAME_UNRESOLVED)
		return false;
	if (s->name.len + TMY_ARG_MAX > TMY_PATH_MAX || s->name.off > TMY_PATH_END + 1) {
		s->name.flags |= TMY_NAME_UNRESOLVED;
		return false;
	}
	return true;
}

/*
 * One check of `perm` on "NAME\0ARG" where NAME is s->name's first `base` bytes (named by
 * tmy_fileop_name, `named` its result) and ARG is v0 in radix r0, then, if nv == 3, " v1 v2" in
 * decimal (mkblock/mkchar). The name is kept, so a hook can make a second check (chown+chgrp).
 */
static __always_inline int tmy_fileop_num_check(struct tmy_scratch *s, bool named, __u32 base,
						__u32 perm, __u64 v0, int r0, int nv, __u64 v1,
						__u64 v2)
{
	if (named) {
		__u32 pos = s->name.off + base;

		tmy_app_char(s, &pos, 0);
		tmy_app_ulong(s, &pos, v0, r0);
		if (nv == 3) {
			tmy_app_char(s, &pos, ' ');
			tmy_app_ulong(s, &pos, v1, TMY_RADIX_DEC);
			tmy_app_char(s, &pos, ' ');
			tmy_app_ulong(s, &pos, v2, TMY_RADIX_DEC);
		}
		s->name.len = pos - s->name.off;
		tmy_hash_name(s, &s->name);
	}
	/* the pattern rules (automaton), not the subtree rules: the '/'-prefixes of "NAME\0ARG"
	 * are not the file's directories */
	return tmy_file_check(s, s->name.hash, perm, TMY_CHECK_PATTERN);
}

/* The whole check of one number operation on (mnt, dentry) for the domain d (not disabled). */
static __always_inline int tmy_fileop_num(const struct tmy_dom *d, struct vfsmount *mnt,
					  struct dentry *dentry, bool slash, __u32 perm, __u64 v0,
					  int r0, int nv, __u64 v1, __u64 v2)
{
	struct tmy_scratch *s;
	__u32 slot = 0;
	bool named;
	int rc;

	s = tmy_scratch_get(&slot);
	if (!s)
		return tmy_lsm_ret(d->mode == TMY_MODE_ENFORCING);
	s->dom = *d;
	named = tmy_fileop_name(s, mnt, dentry, slash);
	rc = tmy_fileop_num_check(s, named, s->name.len, perm, v0, r0, nv, v1, v2);
	tmy_scratch_put(s);
	return tmy_lsm_ret(rc != 0);
}

SEC("lsm/path_mknod")
int BPF_PROG(tmy_path_mknod, const struct path *dir, struct dentry *dentry, umode_t mode,
	     unsigned int dev, int ret)
{
	__u32 fmt = mode & TMY_S_IFMT, perm;
	struct tmy_dom d;
	int nv = 1;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	/* one call site below: each inlined copy of the name walk costs the verifier its share */
	if (fmt == TMY_S_IFCHR) {
		perm = TMY_PERM_MKCHAR;
		nv = 3;
	} else if (fmt == TMY_S_IFBLK) {
		perm = TMY_PERM_MKBLOCK;
		nv = 3;
	} else if (fmt == TMY_S_IFIFO) {
		perm = TMY_PERM_MKFIFO;
	} else if (fmt == TMY_S_IFSOCK) {
		perm = TMY_PERM_MKSOCK;
	} else {
		perm = TMY_PERM_CREATE; /* S_IFREG or 0: mknod of a regular file, open(O_CREAT) */
	}
	/* dev is mknod(2)'s argument as user space encoded it (do_mknodat passes it undecoded);
	 * TOMOYO decodes it (new_decode_dev) before MAJOR/MINOR, so do the same here */
	return tmy_fileop_num(&d, BPF_CORE_READ(dir, mnt), dentry, false, perm, mode & TMY_S_IALLUGO,
			      TMY_RADIX_OCT, nv, (dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
}

SEC("lsm/path_mkdir")
int BPF_PROG(tmy_path_mkdir, const struct path *dir, struct dentry *dentry, umode_t mode, int ret)
{
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	return tmy_fileop_num(&d, BPF_CORE_READ(dir, mnt), dentry, true, TMY_PERM_MKDIR,
			      mode & TMY_S_IALLUGO, TMY_RADIX_OCT, 1, 0, 0);
}

/*
 * Files named by d_dname (pipes, sockets, anon inodes: fchmod/fchown/ioctl on a descriptor)
 * are not judged by chmod, chown, chgrp and ioctl: the walk cannot name them (bpf_d_path is
 * not allowed on these hooks), and as for getattr their names change with every object, so
 * only patterns the kernel does not match yet could grant them. TOMOYO judges them.
 */
static __always_inline bool tmy_d_dname(struct dentry *dentry)
{
	return BPF_CORE_READ(dentry, d_op, d_dname) != NULL;
}

SEC("lsm/path_chmod")
int BPF_PROG(tmy_path_chmod, const struct path *path, umode_t mode, int ret)
{
	struct dentry *dentry;
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	dentry = BPF_CORE_READ(path, dentry);
	if (tmy_d_dname(dentry))
		return 0;
	return tmy_fileop_num(&d, BPF_CORE_READ(path, mnt), dentry, false, TMY_PERM_CHMOD,
			      mode & TMY_S_IALLUGO, TMY_RADIX_OCT, 1, 0, 0);
}

/* chown judged if the uid changes (is not -1), then chgrp if the gid does, as TOMOYO does. */
SEC("lsm/path_chown")
int BPF_PROG(tmy_path_chown, const struct path *path, unsigned long uid_arg, unsigned long gid_arg,
	     int ret)
{
	/* kuid_t / kgid_t: a struct of one u32, passed in a 64-bit argument slot */
	__u32 uid = (__u32)uid_arg, gid = (__u32)gid_arg;
	struct tmy_scratch *s;
	struct dentry *dentry;
	struct tmy_dom d;
	__u32 slot = 0, base;
	bool named;
	int rc = 0;

	if (ret)
		return tmy_prev_ret(ret);
	if (uid == (__u32)-1 && gid == (__u32)-1)
		return 0;
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	dentry = BPF_CORE_READ(path, dentry);
	if (tmy_d_dname(dentry))
		return 0;
	s = tmy_scratch_get(&slot);
	if (!s)
		return tmy_lsm_ret(d.mode == TMY_MODE_ENFORCING);
	s->dom = d;
	named = tmy_fileop_name(s, BPF_CORE_READ(path, mnt), dentry, false);
	base = s->name.len;
	if (uid != (__u32)-1)
		rc = tmy_fileop_num_check(s, named, base, TMY_PERM_CHOWN, uid, TMY_RADIX_DEC, 1, 0, 0);
	if (!rc && gid != (__u32)-1) {
		if (!named)
			s->name.len = base; /* the fallback name for the second record */
		rc = tmy_fileop_num_check(s, named, base, TMY_PERM_CHGRP, gid, TMY_RADIX_DEC, 1, 0, 0);
	}
	tmy_scratch_put(s);
	return tmy_lsm_ret(rc != 0);
}

/* ioctl(2) on 64-bit tasks (file_ioctl_compat, 6.6+, is not attached: 32-bit tasks' ioctls are
 * not judged). */
SEC("lsm/file_ioctl")
int BPF_PROG(tmy_file_ioctl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	struct dentry *dentry;
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	dentry = BPF_CORE_READ(file, f_path.dentry);
	if (tmy_d_dname(dentry))
		return 0;
	return tmy_fileop_num(&d, BPF_CORE_READ(file, f_path.mnt), dentry, false, TMY_PERM_IOCTL, cmd,
			      TMY_RADIX_HEX, 1, 0, 0);
}

/* ---- two names -------------------------------------------------------------------------------
 * "NAME1\0NAME2": NAME2 is named first and parked in s->prefix (unused until hashing), NAME1 is
 * named, then NAME2 is copied behind NAME1's NUL. tomoyo_path2_perm(): for link and rename both
 * names get a '/' if the first file is a directory; pivot_root's always do.
 */
/*
 * Builds "NAME1\0NAME2" in s->name (not hashed), or an unresolved name. A global function: the
 * verifier checks it once, not once per call site (rename calls it twice, and four inlined name
 * walks made that program too complex: E2BIG). It does not call tmy_file_check itself: the
 * three frames together passed the verifier's 512-byte stack limit. Kernel pointers arrive as plain numbers (a global function's
 * arguments cannot be trusted BTF pointers before 6.8); everything reads them with
 * bpf_probe_read_kernel (BPF_CORE_READ), as the walk does anyway. Returns 0 or -EPERM.
 */
#define TMY_FILEOP2_SLASH (1u << 31) /* tmy_fileop2_name's flags: both names get a '/' */
/* The two (mnt, dentry) pairs come in s->prefix[0..3] (free until the name is hashed; NAME2 is
 * parked behind them, from byte 32): a
 * global function's arguments must be scalars or memory, and a trusted pointer is neither;
 * read back from the map value they are plain numbers. */
__noinline int tmy_fileop2_name(struct tmy_scratch *s, __u32 flags)
{
	bool slash = flags & TMY_FILEOP2_SLASH;
	__u32 len2 = 0, end, k;

	if (!s)
		return 0;
	/* k = 0: NAME2, parked in s->prefix + 32; k = 1: NAME1. One inlined walk, not two: two
	 * copies of its locals put this frame over the verifier's combined stack limit. */
#pragma nounroll
	for (k = 0; k < 2; k++) {
		struct vfsmount *mnt = (void *)s->prefix[k ? 0 : 2];
		struct dentry *dentry = (void *)s->prefix[k ? 1 : 3];

		tmy_name_dentry(s, mnt, dentry, &s->name);
		if (slash)
			tmy_add_slash(s, &s->name);
		if (s->name.flags & TMY_NAME_UNRESOLVED)
			return 0; /* judged as unnamed, this name's last component in the record */
		if (k)
			break;
		len2 = s->name.len;
		if (len2 > TMY_NAME2_MAX) {
			s->name.flags |= TMY_NAME_UNRESOLVED;
			return 0;
		}
		bpf_probe_read_kernel((char *)s->prefix + 32, len2 & (TMY_PATH_MAX - 1),
				      s->path + (s->name.off & TMY_PATH_MASK));
	}
	if (s->name.len + 1 + len2 > TMY_PATH_MAX || s->name.off > TMY_PATH_END + 1) {
		s->name.flags |= TMY_NAME_UNRESOLVED; /* the first name is the record's best effort */
		return 0;
	}
	end = s->name.off + s->name.len;
	s->path[end & TMY_PATH_MASK] = 0;
	end++;
	if (len2)
		bpf_probe_read_kernel(s->path + (end & TMY_PATH_MASK), len2 & (TMY_PATH_MAX - 1),
				      (char *)s->prefix + 32);
	s->name.len += 1 + len2;
	return 0; /* hashed by the caller: tmy_hash_word's frame on top of this one was too much */
}

static __always_inline int tmy_fileop_path2(const struct tmy_dom *d, struct vfsmount *mnt1,
					    struct dentry *dentry1, struct vfsmount *mnt2,
					    struct dentry *dentry2, __u32 perm, bool slash)
{
	struct tmy_scratch *s;
	__u32 slot = 0;
	int rc;

	s = tmy_scratch_get(&slot);
	if (!s)
		return tmy_lsm_ret(d->mode == TMY_MODE_ENFORCING);
	s->dom = *d;
	s->prefix[0] = (__u64)mnt1;
	s->prefix[1] = (__u64)dentry1;
	s->prefix[2] = (__u64)mnt2;
	s->prefix[3] = (__u64)dentry2;
	tmy_fileop2_name(s, slash ? TMY_FILEOP2_SLASH : 0);
	if (!(s->name.flags & TMY_NAME_UNRESOLVED))
		tmy_hash_name(s, &s->name);
	rc = tmy_file_check(s, s->name.hash, perm, TMY_CHECK_PATTERN);
	tmy_scratch_put(s);
	return tmy_lsm_ret(rc != 0);
}

SEC("lsm/path_link")
int BPF_PROG(tmy_path_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry, int ret)
{
	struct vfsmount *mnt;
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	mnt = BPF_CORE_READ(new_dir, mnt);
	return tmy_fileop_path2(&d, mnt, old_dentry, mnt, new_dentry, TMY_PERM_LINK,
				tmy_is_dir(old_dentry));
}

SEC("lsm/path_rename")
int BPF_PROG(tmy_path_rename, const struct path *old_dir, struct dentry *old_dentry,
	     const struct path *new_dir, struct dentry *new_dentry, unsigned int flags, int ret)
{
	struct vfsmount *m1, *m2;
	struct tmy_dom d;
	int rc;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	m1 = BPF_CORE_READ(old_dir, mnt);
	m2 = BPF_CORE_READ(new_dir, mnt);
	if (flags & TMY_RENAME_EXCHANGE) {
		rc = tmy_fileop_path2(&d, m2, new_dentry, m1, old_dentry, TMY_PERM_RENAME,
				      tmy_is_dir(new_dentry));
		if (rc)
			return rc;
	}
	return tmy_fileop_path2(&d, m1, old_dentry, m2, new_dentry, TMY_PERM_RENAME,
				tmy_is_dir(old_dentry));
}

/* pivot_root(new_root, put_old): TOMOYO judges "pivot_root NEW_ROOT PUT_OLD". */
SEC("lsm/sb_pivotroot")
int BPF_PROG(tmy_sb_pivotroot, const struct path *old_path, const struct path *new_path, int ret)
{
	struct tmy_dom d;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	return tmy_fileop_path2(&d, BPF_CORE_READ(new_path, mnt), BPF_CORE_READ(new_path, dentry),
				BPF_CORE_READ(old_path, mnt), BPF_CORE_READ(old_path, dentry),
				TMY_PERM_PIVOT_ROOT, true);
}

/* ---- mount ------------------------------------------------------------------------------------
 * TOMOYO's "file mount DEV DIR TYPE FLAGS" (tomoyo_mount_permission): FLAGS lose MS_MGC_VAL's
 * magic and the one flag that names a special operation, which becomes TYPE ("--remount",
 * "--bind", "--make-shared", ..., "--move", in TOMOYO's order of tests); a NULL type or dev is
 * "<NULL>"; DIR is the mount point (+ '/' if a directory). The object is "DIR\0TYPE\0FLAGS\0DEV" (FLAGS "0x%lX"),
 * DEV last so that "DIR\0TYPE\0FLAGS", the same object without its device, is a prefix:
 *  - for --remount and --make-*, TOMOYO ignores DEV: the key is the prefix's hash;
 *  - for a filesystem without FS_REQUIRES_DEV, TOMOYO ignores DEV too, but whether a type needs
 *    a device is not known here (get_fs_type is not callable): user space, which knows, compiles
 *    such rules to the prefix key, and a prefix key present for the access wins;
 *  - for --bind and --move, TOMOYO compares DEV's realpath (a directory's with a '/'); a BPF
 *    program cannot resolve a path, so DEV is compared as given, and also with a '/' added when
 *    the policy has that form (mount(8) passes canonical absolute sources); the same holds for
 *    a block device's name.
 */
#define TMY_MS_REMOUNT     32
#define TMY_MS_BIND        4096
#define TMY_MS_MOVE        8192
#define TMY_MS_UNBINDABLE  (1u << 17)
#define TMY_MS_PRIVATE     (1u << 18)
#define TMY_MS_SLAVE       (1u << 19)
#define TMY_MS_SHARED      (1u << 20)
#define TMY_MS_MGC_VAL     0xC0ED0000ul
#define TMY_MS_MGC_MSK     0xffff0000ul
#define TMY_MOUNT_STR_MAX  4096 /* copy_mount_string() copies at most a page */

enum tmy_mount_kind { TMY_MOUNT_FS = 1, TMY_MOUNT_NODEV = 2, TMY_MOUNT_DEVPATH = 3 };

/* Appends the literal s (a constant) behind *pos. */
#define tmy_app_lit(s, pos, lit)                                                               \
	do {                                                                                   \
		__builtin_memcpy((s)->path + (*(pos) & TMY_PATH_MASK), lit, sizeof(lit) - 1);  \
		*(pos) += sizeof(lit) - 1;                                                     \
	} while (0)

/* Appends the kernel string at address p (or "<NULL>") behind *pos; false if it does not fit. */
static __always_inline bool tmy_app_kstr(struct tmy_scratch *s, __u32 *pos, __u64 p)
{
	long n;

	if (!p) {
		tmy_app_lit(s, pos, "<NULL>");
		return true;
	}
	n = bpf_probe_read_kernel_str(s->path + (*pos & TMY_PATH_MASK), TMY_MOUNT_STR_MAX, (void *)p);
	if (n < 1)
		return false;
	*pos += n - 1; /* without its NUL */
	return true;
}

/*
 * Builds "DIR\0TYPE\0FLAGS\0DEV" in s->name (not hashed; DIR's (mnt, dentry) come in
 * s->prefix[0..1]) and returns its kind, with the prefix's length in s->ls.cnt; or 0 if it has
 * no name (s->name unresolved), or -EINVAL for two propagation flags (TOMOYO refuses them before
 * any check). A global function, checked once by the verifier; kernel pointers arrive as
 * numbers (see tmy_fileop2_name).
 */
__noinline int tmy_mount_name(struct tmy_scratch *s, __u64 dev, __u64 type, __u64 flags)
{
	const __u64 prop = TMY_MS_SHARED | TMY_MS_PRIVATE | TMY_MS_SLAVE | TMY_MS_UNBINDABLE;
	int kind = TMY_MOUNT_FS;
	__u32 pos;

	if (!s)
		return 0;
	if ((flags & TMY_MS_MGC_MSK) == TMY_MS_MGC_VAL)
		flags &= ~TMY_MS_MGC_MSK;
	if (!(flags & (TMY_MS_REMOUNT | TMY_MS_BIND)) && (flags & prop) &&
	    (flags & prop) != (flags & prop & -(flags & prop)))
		return -TMY_EINVAL; /* more than one of shared/private/slave/unbindable */
	tmy_name_dentry(s, (void *)s->prefix[0], (void *)s->prefix[1], &s->name);
	if (tmy_is_dir((void *)s->prefix[1]))
		tmy_add_slash(s, &s->name); /* realpath's '/' for a directory (a file can be a mount point) */
	if (s->name.flags & TMY_NAME_UNRESOLVED)
		return 0;
	if (s->name.len > TMY_PATH_MAX || s->name.off > TMY_PATH_END + 1) {
		s->name.flags |= TMY_NAME_UNRESOLVED;
		return 0;
	}
	pos = s->name.off + s->name.len;
	tmy_app_char(s, &pos, 0);
	if (flags & TMY_MS_REMOUNT) {
		tmy_app_lit(s, &pos, "--remount");
		flags &= ~(__u64)TMY_MS_REMOUNT;
		kind = TMY_MOUNT_NODEV;
	} else if (flags & TMY_MS_BIND) {
		tmy_app_lit(s, &pos, "--bind");
		flags &= ~(__u64)TMY_MS_BIND;
		kind = TMY_MOUNT_DEVPATH;
	} else if (flags & TMY_MS_SHARED) {
		tmy_app_lit(s, &pos, "--make-shared");
		flags &= ~(__u64)TMY_MS_SHARED;
		kind = TMY_MOUNT_NODEV;
	} else if (flags & TMY_MS_PRIVATE) {
		tmy_app_lit(s, &pos, "--make-private");
		flags &= ~(__u64)TMY_MS_PRIVATE;
		kind = TMY_MOUNT_NODEV;
	} else if (flags & TMY_MS_SLAVE) {
		tmy_app_lit(s, &pos, "--make-slave");
		flags &= ~(__u64)TMY_MS_SLAVE;
		kind = TMY_MOUNT_NODEV;
	} else if (flags & TMY_MS_UNBINDABLE) {
		tmy_app_lit(s, &pos, "--make-unbindable");
		flags &= ~(__u64)TMY_MS_UNBINDABLE;
		kind = TMY_MOUNT_NODEV;
	} else if (flags & TMY_MS_MOVE) {
		tmy_app_lit(s, &pos, "--move");
		flags &= ~(__u64)TMY_MS_MOVE;
		kind = TMY_MOUNT_DEVPATH;
	} else if (!tmy_app_kstr(s, &pos, type)) {
		s->name.flags |= TMY_NAME_UNRESOLVED;
		return 0;
	}
	if (pos - s->name.off > TMY_PATH_MAX - TMY_ARG_MAX) {
		s->name.flags |= TMY_NAME_UNRESOLVED;
		return 0;
	}
	tmy_app_char(s, &pos, 0);
	tmy_app_ulong(s, &pos, flags, TMY_RADIX_HEX);
	s->ls.cnt = pos - s->name.off;
	tmy_app_char(s, &pos, 0);
	if (!tmy_app_kstr(s, &pos, dev) || pos - s->name.off > TMY_PATH_MAX - 1) {
		s->name.flags |= TMY_NAME_UNRESOLVED; /* one byte is kept for a '/' */
		return 0;
	}
	s->name.len = pos - s->name.off;
	return kind;
}

/* Does the domain's exact rule on hash h, or (if dfa) its automaton on s->name, grant mount? */
static __always_inline bool tmy_mount_granted(struct tmy_scratch *s, const struct tmy_dom *d, __u64 h,
					      bool dfa)
{
	struct tmy_path_key k = {
		.domain = d->domain, .path_hash = h, .generation = d->gen, .match = TMY_MATCH_EXACT,
	};
	struct tmy_path_val *v = bpf_map_lookup_elem(&tmy_path_rules, &k);

	if (v && (v->perms & TMY_PERM_MOUNT))
		return true;
	return dfa && d->dfa && (tmy_dfa_perms(s, d->dfa, &s->name) & TMY_PERM_MOUNT);
}

SEC("lsm/sb_mount")
int BPF_PROG(tmy_sb_mount, const char *dev_name, const struct path *path, const char *type,
	     unsigned long flags, void *data, int ret)
{
	struct tmy_scratch *s;
	struct tmy_dom d;
	__u32 slot = 0, full, prefix;
	__u64 object;
	int kind, rc;

	if (ret)
		return tmy_prev_ret(ret);
	tmy_fileop_dom(&d);
	if (d.mode == TMY_MODE_DISABLED)
		return 0;
	s = tmy_scratch_get(&slot);
	if (!s)
		return tmy_lsm_ret(d.mode == TMY_MODE_ENFORCING);
	s->dom = d;
	s->prefix[0] = (__u64)BPF_CORE_READ(path, mnt);
	s->prefix[1] = (__u64)BPF_CORE_READ(path, dentry);
	kind = tmy_mount_name(s, (__u64)dev_name, (__u64)type, flags);
	if (kind < 0) {
		tmy_scratch_put(s);
		return -TMY_EINVAL;
	}
	object = 0;
	if (kind > 0) {
		full = s->name.len;
		prefix = s->ls.cnt;
		s->name.len = prefix & (TMY_PATH_MAX - 1);
		tmy_hash_name(s, &s->name);
		object = s->name.hash; /* the object without its device */
		s->name.len = full;
		tmy_hash_name(s, &s->name);
		if (kind != TMY_MOUNT_NODEV && !tmy_mount_granted(s, &d, object, false)) {
			object = s->name.hash;
			if (kind == TMY_MOUNT_DEVPATH && !tmy_mount_granted(s, &d, object, true) &&
			    full < TMY_PATH_MAX &&
			    s->path[(s->name.off + full - 1) & TMY_PATH_MASK] != '/') {
				/* the source as a directory, as TOMOYO's realpath names one */
				s->path[(s->name.off + full) & TMY_PATH_MASK] = '/';
				s->name.len = full + 1;
				tmy_hash_name(s, &s->name);
				if (tmy_mount_granted(s, &d, s->name.hash, true)) {
					object = s->name.hash;
				} else {
					s->name.len = full;
					tmy_hash_name(s, &s->name);
				}
			}
		}
	}
	rc = tmy_file_check(s, object, TMY_PERM_MOUNT, TMY_CHECK_PATTERN);
	tmy_scratch_put(s);
	return tmy_lsm_ret(rc != 0);
}
