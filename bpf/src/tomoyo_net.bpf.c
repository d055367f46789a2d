// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, part: "network inet|unix PROTOCOL OPERATION ADDRESS [PORT]" on socket_bind,
 * socket_listen, socket_connect and socket_sendmsg, with TOMOYO 2.6's semantics
 * (security/tomoyo/network.c):
 *
 *   - only sockets of family AF_INET, AF_INET6 and AF_UNIX, and not in kernel threads;
 *   - the (protocol, operation) pairs TOMOYO checks: stream and seqpacket (unix only): bind,
 *     listen, connect; dgram and raw (inet only): bind, send; any other pair is not judged;
 *   - connect() on a dgram/raw socket is "send" (it sets the default destination);
 *   - sendmsg is judged for dgram/raw with an explicit destination (msg_name), and, beyond
 *     TOMOYO 2.6, for an inet stream socket with MSG_FASTOPEN and a destination, as "connect"
 *     (TCP fast open connects without connect());
 *   - listen judges the socket's bound address (inet: local address and port; unix: its bound
 *     name, "anonymous" when it has none);
 *   - inet: the address family is the sockaddr's (an AF_INET address given to an AF_INET6 UDP
 *     socket is IPv4, as the kernel uses it); addrlen is checked for that family (16 for AF_INET,
 *     24 for AF_INET6) BEFORE any byte past sa_family is read; another sa_family (AF_UNSPEC
 *     disconnect) is not judged; raw sockets use the protocol number as the port;
 *   - unix: sa_family must be AF_UNIX; the name is sun_path as TOMOYO takes it: addrlen - 2
 *     bytes, cut at the first NUL unless it starts with one (abstract: kept whole, leading NUL
 *     included); no bytes: "anonymous";
 *   - addrlen < 2 (no room for sa_family), or too short for the family: not judged, counted in
 *     TMY_STAT_ADDR_SHORT (the kernel refuses such an address itself). No byte past addrlen is
 *     ever read: the bytes after it are stale.
 *
 * The decision (tmy_net_check) follows the table of tmy_policy.bpf.h with the domain's
 * network mode; learning adds the exact rule (inet: tmy_inet_rules; unix: tmy_path_rules with
 * TMY_MATCH_UNIX); events are struct tmy_net_event (TMY_EV_NET_LEARN / TMY_EV_NET_AUDIT).
 * A disabled domain costs the task storage, domain and profile lookups and nothing else.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#include "tmy_maps.bpf.h"
#include "tmy_hash.bpf.h"
#include "tmy_policy.bpf.h"
#include "tmy_task.bpf.h"
#include "tmy_net.bpf.h"

/* include/linux/socket.h, net.h, sched.h values */
#define TMY_SA_UNIX       1
#define TMY_SA_INET       2
#define TMY_SA_INET6      10
#define TMY_SOCK_STREAM   1
#define TMY_SOCK_DGRAM    2
#define TMY_SOCK_RAW      3
#define TMY_SOCK_SEQPACKET 5
#define TMY_MSG_FASTOPEN  0x20000000
#define TMY_PF_KTHREAD    0x00200000
#define TMY_SIN6_LEN_RFC2133 24 /* sockaddr_in6 without sin6_scope_id: what TOMOYO requires */

/* ---- the decision ------------------------------------------------------------------------ */

static __always_inline void tmy_net_event_send(struct tmy_net_req *r, __u16 type, __u8 flags)
{
	__u64 len = r->ev.path_len;

	asm volatile("%0 &= 0xff" : "+r"(len)); /* bound the 64-bit register (see tmy_event_len) */
	if (len > TMY_UNIX_ADDR_MAX)
		len = TMY_UNIX_ADDR_MAX;
	tmy_event_hdr(&r->ev.hdr, type, sizeof(r->ev) + len, r->dom.domain);
	r->ev.category = TMY_CAT_NETWORK;
	r->ev.mode = r->dom.mode;
	r->ev.profile = r->dom.profile;
	r->ev.flags = flags;
	if (bpf_ringbuf_output(&tmy_events, &r->ev, sizeof(r->ev) + len, 0))
		tmy_stat(TMY_STAT_EVENTS_DROPPED);
	else
		tmy_stat(TMY_STAT_EVENTS);
}

static __always_inline void tmy_net_learn(struct tmy_net_req *r)
{
	struct tmy_dom *d = &r->dom;
	struct tmy_domain_val *dv = tmy_dom_entry(d);
	__u32 perm = r->ev.perm;
	int added;

	if (!dv || (dv->flags & TMY_DOMAIN_QUOTA_EXCEEDED))
		return;
	if (d->max_learn && dv->learned >= d->max_learn) {
		if (!(__sync_fetch_and_or(&dv->flags, TMY_DOMAIN_QUOTA_EXCEEDED) & TMY_DOMAIN_QUOTA_EXCEEDED))
			tmy_net_event_send(r, TMY_EV_NET_AUDIT, TMY_ACCESS_QUOTA_EXCEEDED);
		return;
	}
	if (r->ev.family == TMY_AF_UNIX) {
		struct tmy_path_key k = {
			.domain = d->domain, .path_hash = r->hash, .generation = d->gen,
			.match = TMY_MATCH_UNIX,
		};

		added = tmy_perm_or(&tmy_path_rules, &k, perm);
	} else {
		struct tmy_inet_key k = {
			.domain = d->domain, .generation = d->gen, .family = r->ev.family,
			.port = r->ev.port,
		};

		__builtin_memcpy(k.addr, r->ev.addr, 16);
		added = tmy_perm_or(&tmy_inet_rules, &k, perm);
	}
	if (added > 0) {
		__sync_fetch_and_add(&dv->learned, 1);
		tmy_stat(TMY_STAT_LEARNED);
		tmy_net_event_send(r, TMY_EV_NET_LEARN, 0);
	}
}

/* r->ev._pad before tmy_net_check: the domain's unix address automaton grants r->ev.perm */
#define TMY_UNIX_PATTERN_GRANTED 1

/*
 * Judges r->ev.perm for r->dom on the address in r->ev (and r->hash for unix). Returns 0 or
 * -EPERM. Global: verified once, not once per hook and path into it (as tmy_file_check).
 */
__noinline int tmy_net_check(struct tmy_net_req *r)
{
	struct tmy_dom *d;
	__u32 perm, granted;
	__u8 pattern;

	if (!r)
		return 0;
	d = &r->dom;
	if (d->mode == TMY_MODE_DISABLED)
		return 0;
	perm = r->ev.perm;
	pattern = r->ev._pad;
	r->ev._pad = 0; /* events carry it as padding: zero */
	if (r->ev.family == TMY_AF_UNIX) {
		struct tmy_path_key k = {
			.domain = d->domain, .path_hash = r->hash, .generation = d->gen,
			.match = TMY_MATCH_UNIX,
		};
		struct tmy_path_val *v = bpf_map_lookup_elem(&tmy_path_rules, &k);

		granted = v ? v->perms & perm : 0;
		if (pattern == TMY_UNIX_PATTERN_GRANTED) /* tmy_unix_name walked the automaton */
			granted = perm;
	} else {
		granted = tmy_inet_lookup(d->domain, d->gen, d->dflags, r->ev.family, r->ev.port,
					  r->ev.addr, perm);
	}
	if (granted == perm) {
		if (d->pflags & TMY_PROFILE_GRANT_LOG)
			tmy_net_event_send(r, TMY_EV_NET_AUDIT, TMY_ACCESS_GRANTED);
		return 0;
	}
	switch (d->mode) {
	case TMY_MODE_LEARNING:
		tmy_net_learn(r);
		return 0;
	case TMY_MODE_PERMISSIVE:
		if (d->pflags & TMY_PROFILE_REJECT_LOG)
			tmy_net_event_send(r, TMY_EV_NET_AUDIT, 0);
		return 0;
	default:
		if (d->pflags & TMY_PROFILE_REJECT_LOG)
			tmy_net_event_send(r, TMY_EV_NET_AUDIT, 0);
		tmy_stat(TMY_STAT_DENIED);
		return -TMY_EPERM;
	}
}

/*
 * The walk of the domain's unix address automaton (tomoyo_abi.h "path automata", the cell in
 * r->dom.dfa = tmy_domain_val.dfa_unix) over the address as TOMOYO names it. It runs here, in
 * tmy_unix_name's frame, and leaves its answer in r->ev._pad for tmy_net_check: inside
 * tmy_net_check it took socket_bind's call chain past the verifier's 512-byte stack on 6.1.
 */
struct tmy_unix_walk {
	struct tmy_net_req *r;
	__u32 len;
	__u32 dfa;
	__u32 row;
	__u32 _pad;
};

static long tmy_unix_dfa_step(__u32 i, struct tmy_unix_walk *w)
{
	__u8 b;
	__u32 cls;

	if (i >= w->len || !w->r)
		return 1;
	b = w->r->path[i & (TMY_UNIX_ADDR_MAX - 1)];
	cls = (tmy_dfa_cell(w->dfa + 1 + (b >> 2)) >> ((b & 3) * 8)) & 0xff;
	w->row = tmy_dfa_cell(w->row + 1 + cls);
	return w->row == 0;
}

static __always_inline void tmy_unix_patterns(struct tmy_net_req *r)
{
	struct tmy_unix_walk w = { .r = r, .len = r->ev.path_len, .dfa = r->dom.dfa };

	if (!w.dfa)
		return;
	if (w.len == 0) {
		/* byte by byte: a string constant here would put a .rodata.str section in the
		 * object, which libbpf 1.1 does not open */
		r->path[0] = 'a'; r->path[1] = 'n'; r->path[2] = 'o'; r->path[3] = 'n'; r->path[4] = 'y';
		r->path[5] = 'm'; r->path[6] = 'o'; r->path[7] = 'u'; r->path[8] = 's';
		w.len = 9;
	}
	w.row = tmy_dfa_cell(w.dfa);
	if (!w.row)
		return;
	bpf_loop(TMY_UNIX_ADDR_MAX, tmy_unix_dfa_step, &w, 0);
	if (w.row && (tmy_dfa_cell(w.row) & r->ev.perm))
		r->ev._pad = TMY_UNIX_PATTERN_GRANTED;
}

/*
 * Names the unix address whose raw sun_path bytes (r->ev.path_len of them, 0..126) are in
 * r->path, as TOMOYO does: none -> "anonymous" (path_len 0); a leading NUL -> abstract, all
 * bytes kept; else cut at the first NUL. Sets r->ev.path_len and r->hash (FNV-1a 64 of the
 * bytes, or of "anonymous"). Global, so that its loop is verified once and alone.
 */
__noinline int tmy_unix_name(struct tmy_net_req *r)
{
	static const char anon[] = "anonymous";
	__u64 h = TMY_FNV64_OFFSET;
	__u32 n, i;
	bool abstract;

	if (!r)
		return 0;
	n = r->ev.path_len;
	if (n == 0 || n > TMY_UNIX_ADDR_MAX) {
#pragma unroll
		for (int j = 0; j < 9; j++)
			h = TMY_FNV_STEP(h, anon[j]);
		r->ev.path_len = 0;
		r->hash = h;
		tmy_unix_patterns(r);
		return 0;
	}
	abstract = r->path[0] == 0;
	for (i = 0; i < TMY_UNIX_ADDR_MAX; i++) {
		__u8 c;

		if (i >= n)
			break;
		c = r->path[i];
		if (c == 0 && !abstract)
			break;
		h = TMY_FNV_STEP(h, c);
	}
	r->ev.path_len = i;
	r->hash = h;
	tmy_unix_patterns(r);
	return 0;
}

/* ---- the hooks --------------------------------------------------------------------------- */

/* TMY_NET_PERM bit for (socket family, socket type, operation) if TOMOYO checks that pair, else 0. */
static __always_inline __u32 tmy_net_perm(__u16 family, __u16 type, __u8 op)
{
	__u8 proto;

	switch (type) {
	case TMY_SOCK_STREAM:
		proto = TMY_NET_STREAM;
		break;
	case TMY_SOCK_DGRAM:
		proto = TMY_NET_DGRAM;
		break;
	case TMY_SOCK_SEQPACKET:
		if (family != TMY_SA_UNIX)
			return 0;
		proto = TMY_NET_SEQPACKET;
		break;
	case TMY_SOCK_RAW:
		if (family == TMY_SA_UNIX)
			return 0;
		proto = TMY_NET_RAW;
		break;
	default:
		return 0;
	}
	if (proto == TMY_NET_DGRAM || proto == TMY_NET_RAW) {
		if (op == TMY_NET_LISTEN)
			return 0;
		if (op == TMY_NET_CONNECT)
			op = TMY_NET_SEND; /* connect() on a datagram socket is checked as send */
	}
	return TMY_NET_PERM(proto, op);
}

/*
 * The start of every network hook: the socket's family and type if TOMOYO judges this socket,
 * and the calling task's domain with its network mode in *d. 0: nothing to judge (not an
 * inet/unix socket, a kernel thread, or the domain's network mode is disabled).
 */
static __always_inline int tmy_net_begin(struct socket *sock, struct tmy_dom *d, __u16 *family,
					 __u16 *type)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct tmy_cur cur;

	if (task->flags & TMY_PF_KTHREAD)
		return 0;
	tmy_cur_from(&cur, tmy_task_of_current());
	tmy_dom_resolve(d, cur.domain, cur.profile, tmy_generation(), TMY_CAT_NETWORK);
	if (d->mode == TMY_MODE_DISABLED)
		return 0;
	*family = BPF_CORE_READ(sock, sk, __sk_common.skc_family);
	*type = BPF_CORE_READ(sock, type);
	return *family == TMY_SA_UNIX || *family == TMY_SA_INET || *family == TMY_SA_INET6;
}

/*
 * Fills r->ev (family, port, addr) or r->path from the sockaddr at `sa` (kernel memory, addrlen
 * bytes valid) for a socket of family `sfamily`. 1: judge it; 0: not judged.
 */
static __always_inline int tmy_net_addr(struct tmy_net_req *r, const void *sa, int addrlen,
					__u16 sfamily, __u16 type, struct socket *sock)
{
	__u16 af = 0;

	if (!sa)
		return 0;
	if (addrlen < 2) {
		tmy_stat(TMY_STAT_ADDR_SHORT);
		return 0;
	}
	if (addrlen > TMY_UNIX_ADDR_MAX)
		addrlen = TMY_UNIX_ADDR_MAX; /* the kernel's copy is never larger */
	bpf_probe_read_kernel(&af, sizeof(af), sa);
	if (sfamily == TMY_SA_UNIX) {
		__u64 n = addrlen - 2;

		if (af != TMY_SA_UNIX)
			return 0;
		asm volatile("%0 &= 0x7f" : "+r"(n));
		if (n > TMY_UNIX_ADDR_MAX - 2)
			n = TMY_UNIX_ADDR_MAX - 2;
		if (n)
			bpf_probe_read_kernel(r->path, n, sa + 2);
		r->ev.family = TMY_AF_UNIX;
		r->ev.path_len = n;
		tmy_unix_name(r);
		return 1;
	}
	if (af == TMY_SA_INET) {
		struct sockaddr_in sin;

		if (addrlen < (int)sizeof(struct sockaddr_in)) {
			tmy_stat(TMY_STAT_ADDR_SHORT);
			return 0;
		}
		bpf_probe_read_kernel(&sin, sizeof(sin), sa);
		r->ev.family = TMY_AF_INET;
		r->ev.port = bpf_ntohs(sin.sin_port);
		__builtin_memcpy(r->ev.addr, &sin.sin_addr, 4);
	} else if (af == TMY_SA_INET6) {
		__u8 b[TMY_SIN6_LEN_RFC2133];

		if (addrlen < TMY_SIN6_LEN_RFC2133) {
			tmy_stat(TMY_STAT_ADDR_SHORT);
			return 0;
		}
		bpf_probe_read_kernel(b, sizeof(b), sa); /* family, port, flowinfo, addr */
		r->ev.family = TMY_AF_INET6;
		r->ev.port = (__u16)b[2] << 8 | b[3];
		__builtin_memcpy(r->ev.addr, b + 8, 16);
	} else {
		return 0;
	}
	if (type == TMY_SOCK_RAW)
		r->ev.port = BPF_CORE_READ(sock, sk, sk_protocol);
	return 1;
}

/* bind, connect, sendmsg: judge `op` on the address the caller gave. */
static __always_inline int tmy_net_addr_hook(struct socket *sock, const void *sa, int addrlen, __u8 op,
					     bool sendmsg, __u32 msg_flags)
{
	struct tmy_net_req r;
	struct tmy_dom d;
	__u16 family = 0, type = 0;
	__u32 perm;

	if (!tmy_net_begin(sock, &d, &family, &type))
		return 0;
	if (sendmsg) {
		if (type == TMY_SOCK_STREAM && family != TMY_SA_UNIX && (msg_flags & TMY_MSG_FASTOPEN))
			op = TMY_NET_CONNECT; /* TCP fast open: a connect without connect() */
		else if (type != TMY_SOCK_DGRAM && type != TMY_SOCK_RAW)
			return 0;
	}
	perm = tmy_net_perm(family, type, op);
	if (!perm)
		return 0;
	__builtin_memset(&r, 0, sizeof(r));
	r.dom = d;
	r.ev.perm = perm;
	if (!tmy_net_addr(&r, sa, addrlen, family, type, sock))
		return 0;
	return tmy_net_check(&r) ? -TMY_EPERM : 0;
}

SEC("lsm/socket_bind")
int BPF_PROG(tmy_socket_bind, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_net_addr_hook(sock, address, addrlen, TMY_NET_BIND, false, 0);
}

SEC("lsm/socket_connect")
int BPF_PROG(tmy_socket_connect, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return tmy_prev_ret(ret);
	return tmy_net_addr_hook(sock, address, addrlen, TMY_NET_CONNECT, false, 0);
}

SEC("lsm/socket_sendmsg")
int BPF_PROG(tmy_socket_sendmsg, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	void *name;

	if (ret)
		return tmy_prev_ret(ret);
	name = BPF_CORE_READ(msg, msg_name);
	if (!name)
		return 0; /* no explicit destination: judged at connect() */
	return tmy_net_addr_hook(sock, name, BPF_CORE_READ(msg, msg_namelen), TMY_NET_SEND, true,
				 BPF_CORE_READ(msg, msg_flags));
}

/* listen: the socket's own bound address, as getname() would give it. */
SEC("lsm/socket_listen")
int BPF_PROG(tmy_socket_listen, struct socket *sock, int backlog, int ret)
{
	struct tmy_net_req r;
	struct tmy_dom d;
	struct sock *sk;
	__u16 family = 0, type = 0;
	__u32 perm;

	if (ret)
		return tmy_prev_ret(ret);
	if (!tmy_net_begin(sock, &d, &family, &type))
		return 0;
	perm = tmy_net_perm(family, type, TMY_NET_LISTEN);
	if (!perm)
		return 0;
	__builtin_memset(&r, 0, sizeof(r));
	r.dom = d;
	r.ev.perm = perm;
	sk = BPF_CORE_READ(sock, sk);
	if (family == TMY_SA_UNIX) {
		struct unix_address *ua = BPF_CORE_READ((struct unix_sock *)sk, addr);
		__u64 n = 0;

		if (ua) {
			int len = BPF_CORE_READ(ua, len);

			n = len > 2 ? len - 2 : 0;
			asm volatile("%0 &= 0x7f" : "+r"(n));
			if (n > TMY_UNIX_ADDR_MAX - 2)
				n = TMY_UNIX_ADDR_MAX - 2;
			if (n)
				bpf_probe_read_kernel(r.path, n, (const void *)ua +
						      bpf_core_field_offset(struct unix_address, name) + 2);
		}
		r.ev.family = TMY_AF_UNIX;
		r.ev.path_len = n;
		tmy_unix_name(&r);
	} else {
		r.ev.port = BPF_CORE_READ(sk, __sk_common.skc_num);
		if (family == TMY_SA_INET) {
			__be32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);

			r.ev.family = TMY_AF_INET;
			__builtin_memcpy(r.ev.addr, &a, 4);
		} else {
			r.ev.family = TMY_AF_INET6;
			bpf_core_read(r.ev.addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		}
	}
	return tmy_net_check(&r) ? -TMY_EPERM : 0;
}
