// SPDX-License-Identifier: GPL-2.0
/*
 * Test program for the loader's host tests (syscall programs run with BPF_PROG_TEST_RUN, which
 * the host kernel allows). It feeds a ring buffer with records of varying sizes (so that, with a
 * one-page ring, records wrap around its end), reserves-and-discards some, counts in a per-CPU
 * array, reports its const volatile configuration, and carries maps of every kind the loader
 * handles (hash, array, task storage) plus a raw tracepoint program for link pinning tests.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* Configuration set by the loader before load (.rodata). */
const volatile __u32 feed_magic = 0;
const volatile __u64 feed_wide = 0;
const volatile __u32 feed_target_tgid = 0;
/* Writable global (.bss): how often feed() ran. */
__u64 feed_runs = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} feed_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} feed_count SEC(".maps");

struct feed_key {
	__u64 a;
	__u32 b;
	__u32 _pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct feed_key);
	__type(value, __u64);
} feed_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} feed_array SEC(".maps");

struct feed_task {
	__u64 a;
	__u64 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct feed_task);
} feed_tasks SEC(".maps");

/* The context of feed(), written back by BPF_PROG_TEST_RUN. */
struct feed_args {
	__u32 count;          /* in: records to output */
	__u32 seq;            /* in: sequence number of the first record; out: next one */
	__u32 discard_every;  /* in: before every Nth record also reserve+discard one (0: never) */
	__u32 written;        /* out: records committed */
	__u32 failed;         /* out: outputs that failed (ring full) */
	__u32 magic;          /* out: feed_magic */
	__u64 wide;           /* out: feed_wide */
};

struct feed_state {
	struct feed_args *args;
	__u8 buf[256];
};

/* Record: u32 seq, u32 size, then bytes (seq + i) & 0xff for i = 8 .. size-1. 8 <= size <= 255. */
static __always_inline __u32 record_size(__u32 seq)
{
	__u32 size = (seq * 37 + 11) & 0xff;

	if (size < 8)
		size += 8;
	return size;
}

static long feed_one(__u32 i, void *ctx)
{
	struct feed_state *st = ctx;
	struct feed_args *args = st->args;
	__u32 seq = args->seq;
	__u32 size = record_size(seq);
	__u32 k0 = 0;
	__u64 *cnt;
	int j;

	if (args->discard_every && i % args->discard_every == 0) {
		void *p = bpf_ringbuf_reserve(&feed_rb, 40, 0);

		if (p)
			bpf_ringbuf_discard(p, 0);
	}
	for (j = 0; j < 256; j++)
		st->buf[j] = (__u8)(seq + j);
	__builtin_memcpy(&st->buf[0], &seq, 4);
	__builtin_memcpy(&st->buf[4], &size, 4);
	if (size > 256)
		return 1;
	if (bpf_ringbuf_output(&feed_rb, st->buf, size, 0)) {
		args->failed++;
	} else {
		args->written++;
		cnt = bpf_map_lookup_elem(&feed_count, &k0);
		if (cnt)
			*cnt += 1;
	}
	args->seq = seq + 1;
	return 0;
}

SEC("syscall")
int feed(struct feed_args *args)
{
	struct feed_state st = { .args = args };

	__sync_fetch_and_add(&feed_runs, 1);
	args->magic = feed_magic;
	args->wide = feed_wide;
	args->written = 0;
	args->failed = 0;
	bpf_loop(args->count, feed_one, &st, 0);
	return (int)args->written;
}

/* Counts task renames (comm writes) of feed_target_tgid in feed_array[0]. Observes only. */
SEC("raw_tp/task_rename")
int count_rename(void *ctx)
{
	__u32 k0 = 0;
	__u64 *v;

	if ((bpf_get_current_pid_tgid() >> 32) != feed_target_tgid)
		return 0;
	v = bpf_map_lookup_elem(&feed_array, &k0);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
