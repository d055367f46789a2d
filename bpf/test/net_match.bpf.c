// SPDX-License-Identifier: GPL-2.0
/*
 * A `raw_tp` program (BPF_PROG_TEST_RUN, never attached) that runs the network hooks' own inet
 * lookup (tmy_inet_lookup, include/tmy_net.bpf.h) on an address and port given in the context,
 * so that it can be tested on a kernel that refuses LSM programs, and compared with the Java
 * reference matcher (policy-maps KernelAgreementTest). It has its own private copies of the
 * tomoyo maps (TMY_MAPS_OWNER): fill tmy_inet_rules, tmy_inet_ranges and tmy_port_sets of THIS
 * object. Context: struct tmy_net_match_test (test/net_match_test.h), read only.
 *
 * Not a `syscall` program like test/hash.bpf.c: syscall programs are sleepable, and sleepable
 * programs may not use LPM tries ("Sleepable programs can only use array, hash, ringbuf and local
 * storage maps"). A raw_tp program's context is not copied back, so the granted bits are the
 * program's return value (BPF_PROG_TEST_RUN's retval).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#define TMY_MAPS_OWNER
#include "tmy_maps.bpf.h"
#include "tmy_net.bpf.h"
#include "net_match_test.h"

char LICENSE[] SEC("license") = "GPL";

_Static_assert(sizeof(struct tmy_net_match_test) == 48, "struct tmy_net_match_test is 48 bytes");

SEC("raw_tp")
int tmy_net_match_test(struct tmy_net_match_test *ctx)
{
	__u8 addr[16];

	__builtin_memcpy(addr, ctx->addr, 16);
	return tmy_inet_lookup(ctx->domain, ctx->generation, ctx->domain_flags, ctx->family, ctx->port,
			       addr, ctx->want);
}
