// SPDX-License-Identifier: GPL-2.0
/*
 * The smallest real BPF-LSM program: it denies open() of one inode to one process, so a VM test
 * can prove that BPF-LSM is active, that programs load and attach from Java, and that detaching
 * restores access. The target is configured before load (const volatile) and by map.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load. 0 = any process. */
const volatile __u32 target_tgid = 0;

/* Index 0: inode number to deny; index 1: device (s_dev) of that inode. Set after load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} smoke_target SEC(".maps");

/* Index 0: how many times the hook ran; index 1: how many opens it denied. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} smoke_counts SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&smoke_counts, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

SEC("lsm/file_open")
int BPF_PROG(smoke_file_open, struct file *file)
{
	__u32 ino_idx = 0, dev_idx = 1;
	__u64 *ino, *dev;

	count(0);
	if (target_tgid && (bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	ino = bpf_map_lookup_elem(&smoke_target, &ino_idx);
	dev = bpf_map_lookup_elem(&smoke_target, &dev_idx);
	if (!ino || !dev || !*ino)
		return 0;
	if (BPF_CORE_READ(file, f_inode, i_ino) != *ino ||
	    BPF_CORE_READ(file, f_inode, i_sb, s_dev) != (dev_t)*dev)
		return 0;
	count(1);
	return -TMY_EPERM;
}
