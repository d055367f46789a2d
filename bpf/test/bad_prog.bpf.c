// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately rejected by the verifier: a map value is dereferenced without the NULL check.
 * A hash map, because newer kernels (6.14+) prove constant-key array lookups non-NULL.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bad_map SEC(".maps");

SEC("syscall")
int bad_deref(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&bad_map, &k);

	return (int)*v; /* R0 invalid mem access 'map_value_or_null' */
}
