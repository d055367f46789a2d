/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming a file as TOMOYO does (security/tomoyo/realpath.c, tomoyo_realpath_from_path()):
 *
 *  1. a dentry with d_op->d_dname (pipes, sockets, anon inodes, ...) is named by d_dname:
 *     "pipe:[1234]", "socket:[5678]", "anon_inode:[eventfd]" - bpf_d_path returns exactly that;
 *  2. a file on a filesystem without rename() that does not need a device (proc, devpts,
 *     securityfs, debugfs, ...) gets a local name "FSTYPE:/path/inside/fs"; on proc, a leading
 *     /PID that is the caller's own tgid becomes /self ("proc:/self/status");
 *  3. everything else gets the absolute path from the root of its mount namespace, ignoring the
 *     caller's chroot (d_absolute_path); a mount that is not attached to a namespace (lazily
 *     unmounted, internal, open_tree clones) falls back to the local name, prefixed with
 *     "dev(MAJOR,MINOR):" for a real device and "FSTYPE:" otherwise (memfd -> "tmpfs:/memfd:x");
 *  4. a directory gets a trailing '/' (but "/" stays "/"); a deleted file has no " (deleted)".
 *
 * How, in BPF:
 *  - the common case (the caller's root is the namespace root, as after a normal boot's
 *    switch_root) uses bpf_d_path, which takes the kernel's rename and mount seqlocks, then
 *    strips " (deleted)" and appends the directory '/';
 *  - a chrooted caller, local names and detached mounts use a dentry walk (bpf_loop, so its
 *    verification cost does not depend on depth) that builds the name backwards ending at
 *    TMY_PATH_END. The walk reads dentries without the kernel's rename/mount seqlocks: a rename
 *    racing with it can produce a name that never existed (mixing old and new components), so
 *    bpf_d_path is used wherever it gives the same answer and the walk only where it does not.
 *  - anything that fails (longer than PATH_MAX, deeper than the walk bound, a disconnected
 *    dentry, d_dname in a hook where bpf_d_path is not allowed) is TMY_NAME_UNRESOLVED, with the
 *    file's last component as a best-effort name for the log.
 *
 * Include after tmy_hash.bpf.h.
 */
#ifndef TMY_PATH_BPF_H
#define TMY_PATH_BPF_H

/* Kernel constants vmlinux.h does not carry (uapi / include/linux values, stable ABI). */
#define TMY_S_IFMT            00170000
#define TMY_S_IFDIR           0040000
#define TMY_FS_REQUIRES_DEV   1
#define TMY_PROC_SUPER_MAGIC  0x9fa0
#define TMY_MINORBITS         20
#define TMY_WALK_MAX          4200 /* dentry + mount steps: 2048 components of a PATH_MAX name,
                                    * plus mount crossings */
#define TMY_MOUNT_DEPTH_MAX   32   /* mounts stacked on mounts between a file and its ns root */

#define tmy_container_of(ptr, type, member) \
	((type *)((void *)(ptr) - bpf_core_field_offset(type, member)))

/* ---- helpers ------------------------------------------------------------------------------ */

/* Best-effort name for the log when a file cannot be named: its last component. */
static __always_inline void tmy_name_fallback(struct tmy_scratch *s, struct dentry *dentry, struct tmy_name *n)
{
	const unsigned char *name = BPF_CORE_READ(dentry, d_name.name);
	long r = bpf_probe_read_kernel_str(s->path, 256, name);

	n->off = 0;
	n->len = r > 0 ? r - 1 : 0;
	n->flags |= TMY_NAME_UNRESOLVED;
	n->nprefix = 0;
	n->hash = 0;
}

/* d_unlinked(): hashed out of the dcache and not a root. */
static __always_inline bool tmy_d_unlinked(struct dentry *d)
{
	return !BPF_CORE_READ(d, d_hash.pprev) && BPF_CORE_READ(d, d_parent) != d;
}

static __always_inline bool tmy_is_dir(struct dentry *d)
{
	struct inode *inode = BPF_CORE_READ(d, d_inode);

	return inode && (BPF_CORE_READ(inode, i_mode) & TMY_S_IFMT) == TMY_S_IFDIR;
}

/*
 * Is the calling task's root the root of its mount tree, as far as names go? True when the root
 * dentry is its mount's root and every mount below it up to the tree's top is mounted on the
 * root of its parent (the switch_root case: the real root mounted over rootfs's "/"). Then
 * bpf_d_path (relative to the task's root) equals d_absolute_path (relative to the tree's top).
 */
static __always_inline bool tmy_task_root_is_global(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct vfsmount *rv = BPF_CORE_READ(task, fs, root.mnt);
	struct dentry *rd = BPF_CORE_READ(task, fs, root.dentry);
	struct mount *m;

	if (!rv || rd != BPF_CORE_READ(rv, mnt_root))
		return false;
	m = tmy_container_of(rv, struct mount, mnt);
#pragma unroll
	for (int i = 0; i < 8; i++) {
		struct mount *p = BPF_CORE_READ(m, mnt_parent);

		if (p == m)
			return true;
		if (BPF_CORE_READ(m, mnt_mountpoint) != BPF_CORE_READ(p, mnt.mnt_root))
			return false;
		m = p;
	}
	return false; /* deeper stacks take the (always correct) walk */
}

/*
 * Is the mount attached to a (non-anonymous) mount namespace? Follows mnt_parent to the top of
 * the tree, as prepend_path() does, and looks at the top's namespace. Returns 1 attached,
 * 0 detached, -1 deeper than TMY_MOUNT_DEPTH_MAX.
 */
static __always_inline int tmy_mount_attached(struct mount *m)
{
	for (int i = 0; i < TMY_MOUNT_DEPTH_MAX; i++) {
		struct mount *p = BPF_CORE_READ(m, mnt_parent);

		if (p == m) {
			struct mnt_namespace *ns = BPF_CORE_READ(m, mnt_ns);

			if (!ns || (unsigned long)ns >= (unsigned long)-4095L)
				return 0;
			return BPF_CORE_READ(ns, seq) != 0;
		}
		m = p;
	}
	return -1;
}

/* ---- the dentry walk ------------------------------------------------------------------------ */
/* State in s->ls (see struct tmy_loop_state): dentry, mnt, pos (the name built so far is
 * path[pos .. TMY_PATH_END)), cross (1: cross mounts up to the tree's top, 0: stop at the
 * filesystem root), state (0 walking, 1 done, <0 failed), first_pos/first_len (the component
 * nearest the root). */
#define TMY_WALK_TOO_LONG  -1
#define TMY_WALK_ESCAPED   -2 /* reached a filesystem root that is not its mount's root */

struct tmy_walk_ctx {
	struct tmy_scratch *s;
};

static long tmy_walk_step(__u32 i, struct tmy_walk_ctx *c)
{
	struct tmy_scratch *s = c->s;
	struct dentry *d, *parent;
	const unsigned char *name;
	__u32 len;
	__s32 np;

	if (!s)
		return 1;
	d = (struct dentry *)s->ls.dentry;
	if (s->ls.cross) {
		struct mount *m = (struct mount *)s->ls.mnt;

		if (d == BPF_CORE_READ(m, mnt.mnt_root)) {
			struct mount *p = BPF_CORE_READ(m, mnt_parent);

			if (p != m) {
				s->ls.dentry = (__u64)BPF_CORE_READ(m, mnt_mountpoint);
				s->ls.mnt = (__u64)p;
				return 0;
			}
			s->ls.state = 1; /* the tree's top */
			return 1;
		}
	}
	parent = BPF_CORE_READ(d, d_parent);
	if (!d || d == parent) {
		s->ls.state = s->ls.cross || !d ? TMY_WALK_ESCAPED : 1;
		return 1;
	}
	len = BPF_CORE_READ(d, d_name.len);
	name = BPF_CORE_READ(d, d_name.name);
	np = s->ls.pos - (__s32)len - 1;
	/* keep position 0 free: the result plus a directory '/' must fit in TMY_PATH_MAX */
	if (len > 255 || np < 1) {
		s->ls.state = TMY_WALK_TOO_LONG;
		return 1;
	}
	bpf_probe_read_kernel(s->path + ((np + 1) & TMY_PATH_MASK), len & 255, name);
	s->path[np & TMY_PATH_MASK] = '/';
	s->ls.pos = np;
	s->ls.first_pos = np;
	s->ls.first_len = len;
	s->ls.dentry = (__u64)parent;
	return 0;
}

/* Writes v in decimal ending before *pos (a bounded loop of at most 10 digits). */
static __always_inline void tmy_put_dec(struct tmy_scratch *s, __s32 *pos, __u32 v)
{
	__s32 p = *pos;

	for (int i = 0; i < 10; i++) {
		p--;
		s->path[p & TMY_PATH_MASK] = '0' + v % 10;
		v /= 10;
		if (!v)
			break;
	}
	*pos = p;
}

static __always_inline void tmy_put_char(struct tmy_scratch *s, __s32 *pos, char c)
{
	*pos -= 1;
	s->path[*pos & TMY_PATH_MASK] = c;
}

/* The caller's tgid as seen by the pid namespace of a proc mount (task_tgid_nr_ns), or 0. */
static __always_inline __u32 tmy_tgid_in_proc(struct super_block *sb)
{
	struct proc_fs_info *fsi = BPF_CORE_READ(sb, s_fs_info);
	struct pid_namespace *ns = BPF_CORE_READ(fsi, pid_ns);
	struct task_struct *task = bpf_get_current_task_btf();
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	struct pid *pid = NULL;
	struct upid up = {};
	__u32 level;

	if (!ns || !sig)
		return 0;
	level = BPF_CORE_READ(ns, level);
	bpf_core_read(&pid, sizeof(pid), &sig->pids[PIDTYPE_TGID]);
	if (!pid || level > BPF_CORE_READ(pid, level))
		return 0;
	bpf_probe_read_kernel(&up, sizeof(up), (void *)pid + bpf_core_field_offset(struct pid, numbers) +
			      (__u64)level * bpf_core_type_size(struct upid));
	return up.ns == ns ? up.nr : 0;
}

/* proc: "/1234/..." -> "/self/..." when 1234 is the caller's tgid (tomoyo_get_local_path). */
static __always_inline void tmy_proc_self(struct tmy_scratch *s, __s32 *pos, __s32 end,
					  struct super_block *sb)
{
	__u32 len = s->ls.first_len, pid = 0;
	__s32 at = s->ls.first_pos + 1;
	__s32 np;

	if (*pos != s->ls.first_pos || len == 0 || len > 10 || at + (__s32)len >= end)
		return;
	if (s->path[(at + len) & TMY_PATH_MASK] != '/')
		return;
	for (int i = 0; i < 10; i++) { /* bounded: at most 10 digits */
		char ch;

		if (i >= len)
			break;
		ch = s->path[(at + i) & TMY_PATH_MASK];
		if (ch < '0' || ch > '9')
			return;
		pid = pid * 10 + (ch - '0');
	}
	if (!pid || pid != tmy_tgid_in_proc(sb))
		return;
	np = at + (__s32)len - 5; /* "/self" ends where the digits ended */
	if (np < 1)
		return;
	s->path[np & TMY_PATH_MASK] = '/';
	s->path[(np + 1) & TMY_PATH_MASK] = 's';
	s->path[(np + 2) & TMY_PATH_MASK] = 'e';
	s->path[(np + 3) & TMY_PATH_MASK] = 'l';
	s->path[(np + 4) & TMY_PATH_MASK] = 'f';
	*pos = np;
}

/*
 * Names by walking: cross = 1 gives d_absolute_path (the chroot case), cross = 0 the local name
 * "PREFIX:/path" (dev_prefix 0: "FSTYPE:", 1: "dev(M,m):").
 */
static __always_inline void tmy_name_walk(struct tmy_scratch *s, struct dentry *dentry,
					  struct mount *mnt, bool cross, int dev_prefix,
					  struct tmy_name *n)
{
	struct tmy_walk_ctx c = { .s = s };
	struct super_block *sb = BPF_CORE_READ(dentry, d_sb);
	__s32 end = TMY_PATH_END, pos;

	s->ls.dentry = (__u64)dentry;
	s->ls.mnt = (__u64)mnt;
	s->ls.pos = TMY_PATH_END;
	s->ls.cross = cross;
	s->ls.state = 0;
	s->ls.first_pos = -1;
	s->ls.first_len = 0;
	bpf_loop(TMY_WALK_MAX, tmy_walk_step, &c, 0);
	if (s->ls.state != 1)
		goto fail;
	pos = s->ls.pos;
	if (pos == TMY_PATH_END) { /* the root itself */
		pos = TMY_PATH_END - 1;
		s->path[pos & TMY_PATH_MASK] = '/';
	} else if (tmy_is_dir(dentry)) {
		s->path[TMY_PATH_END] = '/';
		end++;
	}
	if (!cross) {
		struct file_system_type *fst = BPF_CORE_READ(sb, s_type);
		const char *fsname = BPF_CORE_READ(fst, name);

		if (BPF_CORE_READ(sb, s_magic) == TMY_PROC_SUPER_MAGIC)
			tmy_proc_self(s, &pos, end, sb);
		if (pos < 40 || pos > TMY_PATH_END) /* room for the longest prefix */
			goto fail;
		if (dev_prefix) {
			__u32 dev = BPF_CORE_READ(sb, s_dev);

			tmy_put_char(s, &pos, ':');
			tmy_put_char(s, &pos, ')');
			tmy_put_dec(s, &pos, dev & ((1u << TMY_MINORBITS) - 1));
			tmy_put_char(s, &pos, ',');
			tmy_put_dec(s, &pos, dev >> TMY_MINORBITS);
			tmy_put_char(s, &pos, '(');
			tmy_put_char(s, &pos, 'v');
			tmy_put_char(s, &pos, 'e');
			tmy_put_char(s, &pos, 'd');
		} else {
			/* measure the type name in the event buffer, then copy it in place */
			long l = bpf_probe_read_kernel_str(s->ev.path, 32, fsname);
			__s32 np;

			if (l < 2)
				goto fail;
			l -= 1;
			np = pos - (__s32)l - 1;
			if (np < 0)
				goto fail;
			bpf_probe_read_kernel(s->path + (np & TMY_PATH_MASK), l & 31, fsname);
			s->path[(np + l) & TMY_PATH_MASK] = ':';
			pos = np;
		}
		n->flags |= TMY_NAME_LOCAL;
	}
	if (pos < 0 || pos >= end)
		goto fail;
	n->off = pos;
	n->len = end - pos;
	return;
fail:
	tmy_name_fallback(s, dentry, n);
}

/*
 * Names the file (vfsmnt, dentry) into s->path (see the top of this file). With `path` (a
 * trusted struct path pointer to the same pair, on a hook where bpf_d_path is allowed) the
 * common case uses bpf_d_path; with path == NULL (the path_* and sb_* hooks, where it is not
 * allowed) every case takes the dentry walk, and d_dname names (pipes, sockets) are unresolved.
 * Always inlined with a constant `path`, so the bpf_d_path calls vanish from the NULL variant.
 */
static __always_inline void tmy_name_core(struct tmy_scratch *s, struct path *path,
					  struct vfsmount *vfsmnt, struct dentry *dentry,
					  struct tmy_name *n)
{
	const struct dentry_operations *dop = BPF_CORE_READ(dentry, d_op);
	struct super_block *sb = BPF_CORE_READ(dentry, d_sb);
	struct mount *mnt;
	bool has_rename;
	__u32 fs_flags;
	long r;
	int att;

	n->off = 0;
	n->len = 0;
	n->flags = 0;
	/* path1.* of conditions: the inode is read only where a conditional rule is evaluated */
	s->obj.dentry = (__u64)dentry;
	if (dop && BPF_CORE_READ(dop, d_dname)) {
		if (!path)
			goto fail;
		r = bpf_d_path(path, s->path, TMY_PATH_MAX);
		if (r < 1)
			goto fail;
		n->len = r - 1;
		return;
	}
	has_rename = BPF_CORE_READ(sb, s_root, d_inode, i_op, rename) != NULL;
	fs_flags = BPF_CORE_READ(sb, s_type, fs_flags);
	if (!has_rename && !(fs_flags & TMY_FS_REQUIRES_DEV)) {
		tmy_name_walk(s, dentry, NULL, false, 0, n);
		return;
	}
	mnt = tmy_container_of(vfsmnt, struct mount, mnt);
	att = tmy_mount_attached(mnt);
	if (att < 0)
		goto fail;
	if (att == 0) {
		/* tomoyo_get_local_path(): device name unless an unnamed device or no rename */
		__u32 dev = BPF_CORE_READ(sb, s_dev);

		tmy_name_walk(s, dentry, NULL, false,
			      (dev >> TMY_MINORBITS) != 0 && has_rename, n);
		return;
	}
	if (!path) {
		/* the walk gives d_absolute_path whether or not the task is chrooted */
		tmy_name_walk(s, dentry, mnt, true, 0, n);
		return;
	}
	if (!tmy_task_root_is_global()) {
		n->flags |= TMY_NAME_CHROOT;
		tmy_name_walk(s, dentry, mnt, true, 0, n);
		return;
	}
	r = bpf_d_path(path, s->path, TMY_PATH_MAX);
	if (r < 1)
		goto fail;
	r -= 1;
	if (r >= 10 && tmy_d_unlinked(dentry)) {
		/* d_path appended " (deleted)"; d_absolute_path does not */
		const char *t = s->path + ((r - 10) & TMY_PATH_MASK);

		if (t[0] == ' ' && t[1] == '(' && t[2] == 'd' && t[3] == 'e' && t[4] == 'l' &&
		    t[5] == 'e' && t[6] == 't' && t[7] == 'e' && t[8] == 'd' && t[9] == ')')
			r -= 10;
	}
	if (r > 1 && tmy_is_dir(dentry)) {
		s->path[r & TMY_PATH_MASK] = '/';
		r++;
	}
	n->len = r;
	return;
fail:
	tmy_name_fallback(s, dentry, n);
}

/* Names the file at `path`; the hook must allow bpf_d_path (file_open, inode_getattr, ...). */
static __always_inline void tmy_name_path(struct tmy_scratch *s, struct path *path,
					  struct tmy_name *n)
{
	tmy_name_core(s, path, BPF_CORE_READ(path, mnt), BPF_CORE_READ(path, dentry), n);
}

/*
 * Names (vfsmnt, dentry) by the dentry walk alone, for hooks where bpf_d_path is not allowed:
 * TOMOYO's `struct path { parent->mnt, dentry }` of path_unlink/rmdir/symlink (the dentry of
 * the entry, negative for a link being created), path_truncate/chroot's path, sb_umount's
 * { mnt, mnt->mnt_root }. The walk does not take the rename/mount seqlocks (see the top).
 */
static __always_inline void tmy_name_dentry(struct tmy_scratch *s, struct vfsmount *vfsmnt,
					    struct dentry *dentry, struct tmy_name *n)
{
	tmy_name_core(s, NULL, vfsmnt, dentry, n);
}

#endif /* TMY_PATH_BPF_H */
