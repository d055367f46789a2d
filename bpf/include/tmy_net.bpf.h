/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network rules (tomoyo_abi.h "network"): the inet lookup shared by the LSM programs
 * (src/tomoyo_net.bpf.c) and the native test program (test/net_match.bpf.c), and the request
 * a network hook builds for the decision.
 *
 * Include after tmy_maps.bpf.h.
 */
#ifndef TMY_NET_BPF_H
#define TMY_NET_BPF_H

/*
 * Which permissions of `want` do the domain's inet rules grant for (family, addr, port)?
 *   1. the exact rule {domain, gen, family, port, addr} in tmy_inet_rules (one hash lookup);
 *   2. only if the domain has range/group rules (TMY_DOMAIN_INET_RANGES in its tmy_domain_val
 *      flags) and 1. did not grant everything: the longest address prefix in tmy_inet_ranges
 *      (the disjoint address interval holding addr) gives a port set; the longest port prefix
 *      in tmy_port_sets gives that set's permissions for this port.
 * At most three lookups, whatever the number of rules. addr: 16 bytes, network byte order, IPv4
 * in addr[0..3] and zeros after; port in host byte order (raw sockets: the protocol number).
 */
static __always_inline __u32 tmy_inet_lookup(__u64 domain, __u32 gen, __u32 dflags, __u8 family,
					     __u16 port, const __u8 *addr, __u32 want)
{
	struct tmy_inet_key k = {
		.domain = domain, .generation = gen, .family = family, .port = port,
	};
	struct tmy_inet_range_key rk = {
		.generation = gen, .domain = domain, .family = family,
	};
	struct tmy_port_key pk = { .generation = gen };
	struct tmy_inet_range_val *rv;
	struct tmy_port_val *pv;
	struct tmy_path_val *v;
	__u32 granted = 0;

	__builtin_memcpy(k.addr, addr, 16);
	v = bpf_map_lookup_elem(&tmy_inet_rules, &k);
	if (v)
		granted = v->perms & want;
	if (granted == want || !(dflags & TMY_DOMAIN_INET_RANGES))
		return granted;
	rk.prefixlen = TMY_INET_RANGE_FIXED_BITS + (family == TMY_AF_INET6 ? 128 : 32);
	__builtin_memcpy(rk.addr, addr, 16);
	rv = bpf_map_lookup_elem(&tmy_inet_ranges, &rk);
	if (!rv)
		return granted;
	pk.prefixlen = TMY_PORT_SET_FIXED_BITS + 16;
	pk.port_set = rv->port_set;
	pk.port[0] = port >> 8;
	pk.port[1] = port & 0xff;
	pv = bpf_map_lookup_elem(&tmy_port_sets, &pk);
	if (pv)
		granted |= pv->perms & want;
	return granted;
}

/*
 * Bytes of a unix address kept: a sockaddr is copied by the kernel into a sockaddr_storage (128
 * bytes), so sun_path as TOMOYO reads it (addrlen - 2 bytes) is at most 126 bytes long.
 */
#define TMY_UNIX_ADDR_MAX 128
#define TMY_UNIX_ADDR_MASK 127

/*
 * One network access being judged, built on the hook's stack and handed to the decision
 * (tmy_net_check, a global function). ev is the event as it will be sent: its fields are the
 * request (perm, family, port, addr, path_len); path[] follows it directly in memory so that
 * the event and its unix address bytes go out in one bpf_ringbuf_output.
 */
struct tmy_net_req {
	struct tmy_net_event ev;
	__u8  path[TMY_UNIX_ADDR_MAX];  /* unix: the address bytes (ev.path_len of them) */
	struct tmy_dom dom;
	__u64 hash;                     /* unix: FNV-1a 64 of the address as named (rule key) */
};
_Static_assert(sizeof(struct tmy_net_event) == 72, "path[] must follow the net event directly");

#endif /* TMY_NET_BPF_H */
