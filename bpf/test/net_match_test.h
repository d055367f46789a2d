/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Context of the `raw_tp` program "tmy_net_match_test" in test/net_match.bpf.c (run with
 * BPF_PROG_TEST_RUN, ctx_in only). It runs the LSM programs' own inet lookup (tmy_inet_lookup,
 * include/tmy_net.bpf.h) against the object's private tmy_inet_rules, tmy_inet_ranges and
 * tmy_port_sets. THE RESULT IS THE PROGRAM'S RETURN VALUE (test run retval): a raw_tp context is
 * not copied back (a syscall program, whose context is, may not use LPM tries), so `granted`
 * below is never written. Plain C: include after <linux/types.h> (user space) or vmlinux.h
 * (BPF). 48 bytes (at most 96 for a raw_tp context), fixed-width, explicitly padded.
 */
#ifndef TMY_NET_MATCH_TEST_H
#define TMY_NET_MATCH_TEST_H

struct tmy_net_match_test {
	__u64 domain;
	__u32 generation;
	__u32 want;          /* TMY_NET_PERM() bit */
	__u32 domain_flags;  /* TMY_DOMAIN_INET_RANGES to consult the ranges */
	__u8  family;        /* TMY_AF_INET / TMY_AF_INET6 */
	__u8  _pad;
	__u16 port;          /* host byte order */
	__u8  addr[16];
	__u32 granted;       /* unused: the granted bits of want are the test run's retval */
	__u32 _pad2;
};  /* 48 bytes */

#endif
