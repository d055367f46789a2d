// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, part 3 of 3: "file read", "file write", "file append" at open, as TOMOYO's
 * tomoyo_file_open / tomoyo_check_open_permission decide them:
 *   - opens made by execve itself (FMODE_EXEC: the program, the ELF interpreter) are not
 *     checked here (the program is checked as "file execute", an interpreter of a script as
 *     "file read" in tomoyo_exec.bpf.c); O_PATH opens are not checked;
 *   - ACC_MODE(f_flags): O_RDONLY -> read; O_WRONLY -> write; O_RDWR (and 3) -> read, then
 *     write; write becomes "append" when O_APPEND is set;
 *   - directories are checked too, named with a trailing '/' ("file read /etc/" for opendir);
 *   - read is judged first; in enforcing mode a denied read ends the check (-EPERM);
 *   - overlayfs's internal reopen of a layer's file is not judged (TMY_FMODE_NOACCOUNT).
 * O_TRUNC and O_CREAT are separate TOMOYO permissions (file truncate / file create) on other
 * hooks; they are not handled by this issue.
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

/* uapi/asm-generic/fcntl.h and include/linux/fs.h values */
#define TMY_O_ACCMODE   00000003
#define TMY_O_WRONLY    00000001
#define TMY_O_APPEND    00002000
#define TMY_O_PATH      010000000
#define TMY_FMODE_EXEC  0x20 /* __FMODE_EXEC: in f_flags, set by open_exec() */

/*
 * FMODE_NOACCOUNT (0x20000000 in 6.1 through 6.12): set only on files the kernel opens to stand
 * in for another one - overlayfs's reopen of a layer's file inside the user's open of the overlay
 * file (6.1: open_with_fake_path, under the overlay's own name, so the same check twice; 6.6+:
 * backing_file_open, under the layer's private mount, which TOMOYO's rules name e.g.
 * "tmpfs:/upper/etc/x") and cachefiles. The user's open of the overlay file was judged already,
 * under the name the user sees; judging the reopen too would make a workload learn a different
 * policy on 6.12 than on 6.1. So it is skipped: a deliberate difference from kernel TOMOYO, which
 * judges both. Should a later kernel move the bit, the effect is TOMOYO's double check, not a
 * hole: user-visible opens never carry it.
 */
#define TMY_FMODE_NOACCOUNT 0x20000000

SEC("lsm/file_open")
int BPF_PROG(tmy_file_open, struct file *file, int ret)
{
	struct tmy_cur cur;
	struct tmy_dom d;
	struct tmy_scratch *s;
	__u32 flags, acc, slot = 0;
	int rc = 0;

	if (ret)
		return tmy_prev_ret(ret);
	flags = BPF_CORE_READ(file, f_flags);
	if (flags & (TMY_FMODE_EXEC | TMY_O_PATH))
		return 0;
	if (BPF_CORE_READ(file, f_mode) & TMY_FMODE_NOACCOUNT)
		return 0;
	tmy_cur_from(&cur, tmy_task_of_current());
	tmy_dom_resolve(&d, cur.domain, cur.profile, tmy_generation(), TMY_CAT_FILE);
	if (d.mode == TMY_MODE_DISABLED)
		return 0; /* no name, no lookup: a disabled domain costs three map lookups */
	acc = flags & TMY_O_ACCMODE;
	s = tmy_scratch_get(&slot);
	if (!s)
		return d.mode == TMY_MODE_ENFORCING ? -TMY_EPERM : 0;
	s->dom = d;
	tmy_name_path(s, &file->f_path, &s->name);
	if (!(s->name.flags & TMY_NAME_UNRESOLVED))
		tmy_hash_name(s, &s->name);
	if (acc != TMY_O_WRONLY)
		rc = tmy_file_check(s, s->name.hash, TMY_PERM_READ, TMY_CHECK_SUBTREE);
	if (!rc && acc != 0)
		rc = tmy_file_check(s, s->name.hash,
				    (flags & TMY_O_APPEND) ? TMY_PERM_APPEND : TMY_PERM_WRITE,
				    TMY_CHECK_SUBTREE);
	tmy_scratch_put(s);
	return rc ? -TMY_EPERM : 0; /* the global function's result is unknown to the verifier */
}
