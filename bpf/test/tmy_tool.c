// SPDX-License-Identifier: GPL-2.0
/*
 * tmy_tool: a small libbpf test driver for the kernel side, used by the scripts in bpf/test/ before (and
 * independently of) the Java loader. Not shipped.
 *
 * Names and ids are computed by running test/hash.bpf.o (the LSM programs' own hashing code) with
 * BPF_PROG_TEST_RUN, so this tool has no hash implementation of its own.
 *
 *   tmy_tool selftest VECTORS.tsv      hash.bpf.o against the shared vectors + rule lookups,
 *                                      net_match.bpf.o (the inet lookup) on hand-written rules
 *   tmy_tool hash NAME                 path hash of one TOMOYO-encoded name
 *   tmy_tool id DOMAIN                 domain id of a TOMOYO domain name
 *   tmy_tool load OBJ DIR              load + attach OBJ, pin maps in DIR/ and links in DIR/links/
 *   tmy_tool gen DIR N                 tmy_state.generation = N
 *   tmy_tool profile DIR N MODE [grant_log] [reject_log] [max=K] [net=M] [cap=M] [ipc=M]
 *                                      MODE: file mode of profile N; net/cap/ipc: the others (0)
 *   tmy_tool domain DIR DOMAIN PROFILE [depths=0x..] [flags=0x..] [parent=DOMAIN|0]
 *                                      tmy_domains entry (an existing entry's parent is kept)
 *   tmy_tool domain-get DIR DOMAIN     print profile flags learned (exit 1 if absent)
 *   tmy_tool rule DIR DOMAIN PATH PERMS [subtree]                  add rule (perms: r,w,a,x,u,g,d,t,s,c,m
 *                                      and n,k,f,o,i,h,O,G,B,H,l,R,P: see parse_perms; for those the
 *                                      PATH is the object "NAME\000ARG", e.g. /tmp/x\0000644)
 *   tmy_tool rule-get DIR DOMAIN PATH [subtree]   print perms/learned (exit 1 if absent)
 *            (rule and rule-get: "with S1 [S2]" instead of subtree: the learned form of PATH with
 *            exec.realpath/symlink.target S1 and exec.argv[0] S2, see tomoyo_abi.h)
 *   tmy_tool transition DIR TYPE PROGRAM|any [domain DOMAIN|last NAME]
 *   tmy_tool aggregator DIR PROGRAM AGGREGATED
 *   tmy_tool inet-rule DIR DOMAIN PROTO OPS ADDR PORT   tmy_inet_rules (PROTO stream|dgram|raw,
 *                                      OPS bind/listen/connect/send joined by '/')
 *   tmy_tool inet-rule-get DIR DOMAIN ADDR PORT         print perms/learned (exit 1 if absent)
 *   tmy_tool inet-range DIR DOMAIN ADDR PREFIXBITS PORTSET   tmy_inet_ranges block -> port set
 *   tmy_tool port-set DIR PORTSET PORT PREFIXBITS PROTO OPS  tmy_port_sets block -> perms
 *   tmy_tool unix-rule DIR DOMAIN PROTO OPS NAME        tmy_path_rules TMY_MATCH_UNIX (NAME
 *                                      TOMOYO-encoded: \000abs for abstract, anonymous)
 *   tmy_tool unix-rule-get DIR DOMAIN NAME
 *   tmy_tool cap-rule DIR DOMAIN CAP   tmy_cap_rules: allow capability number CAP
 *   tmy_tool cap-get DIR DOMAIN        print allowed/learned masks (exit 1 if absent)
 *   tmy_tool signal-rule DIR DOMAIN TARGET_DOMAIN SIG
 *   tmy_tool signal-get DIR DOMAIN TARGET_DOMAIN SIG   (exit 1 if absent)
 *   tmy_tool task DIR PID              print the task's domain id (or "<kernel>" if no storage)
 *   tmy_tool events DIR [MS]           print ring-buffer events until MS ms pass without one
 *   tmy_tool stats DIR                 print the per-CPU counters summed
 *
 * The hash object is found at $TMY_HASH_OBJ, else next to this binary (hash.bpf.o).
 * With TMY_VERIFIER_STATS=1, `load` prints each program's verifier statistics.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>

#include "tomoyo_abi.h"
#include "hash_test.h"
#include "net_match_test.h"

static const char *argv0;
static __u8 parse_ip(const char *a, __u8 addr[16]);

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "tmy_tool: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* ---- TOMOYO name encoding ------------------------------------------------------------------ */
/* Decodes \ooo and \\ into raw bytes; returns the length. */
static size_t decode(const char *in, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (*in) {
		unsigned char c = *in++;

		if (c == '\\') {
			if (*in == '\\') {
				c = '\\';
				in++;
			} else if (in[0] >= '0' && in[0] <= '3' && in[1] >= '0' && in[1] <= '7' &&
				   in[2] >= '0' && in[2] <= '7') {
				c = (in[0] - '0') << 6 | (in[1] - '0') << 3 | (in[2] - '0');
				in += 3;
			} else {
				die("bad escape in '%s'", in - 1);
			}
		}
		if (n >= cap)
			die("name longer than %zu bytes", cap);
		out[n++] = c;
	}
	return n;
}

static void print_encoded(FILE *f, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c == '\\')
			fputs("\\\\", f);
		else if (c > ' ' && c < 127)
			fputc(c, f);
		else
			fprintf(f, "\\%03o", c);
	}
}

/* ---- hashing through hash.bpf.o ------------------------------------------------------------ */
static struct bpf_object *hash_obj;
static int hash_prog_fd = -1;

static void hash_open(void)
{
	static char path[PATH_MAX + 16];
	const char *p = getenv("TMY_HASH_OBJ");
	struct bpf_program *prog;

	if (hash_obj)
		return;
	if (!p) {
		char self[PATH_MAX];
		ssize_t l = readlink("/proc/self/exe", self, sizeof(self) - 1);
		char *slash;

		if (l < 0)
			die("readlink /proc/self/exe: %s", strerror(errno));
		self[l] = 0;
		slash = strrchr(self, '/');
		if (slash)
			*slash = 0;
		snprintf(path, sizeof(path), "%s/hash.bpf.o", self);
		p = path;
	}
	hash_obj = bpf_object__open_file(p, NULL);
	if (!hash_obj)
		die("open %s: %s", p, strerror(errno));
	/* Only tmy_path_rules (small) and the scratch are used here: shrink the big maps, which
	 * would otherwise cost ~10 MB of zeroed kernel memory per run (slow under TCG). */
	{
		struct bpf_map *m;

		bpf_object__for_each_map(m, hash_obj) {
			if (bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF)
				bpf_map__set_max_entries(m, 4096);
			else if (bpf_map__type(m) == BPF_MAP_TYPE_HASH)
				bpf_map__set_max_entries(m, 1024);
		}
	}
	if (bpf_object__load(hash_obj))
		die("load %s: %s (verifier log above)", p, strerror(errno));
	prog = bpf_object__find_program_by_name(hash_obj, "tmy_hash_test");
	if (!prog)
		die("%s has no program tmy_hash_test", p);
	hash_prog_fd = bpf_program__fd(prog);
}

static void hash_run(struct tmy_hash_test *t)
{
	/* syscall programs write the context back into ctx_in (ctx_out is refused) */
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = t, .ctx_size_in = sizeof(*t));

	hash_open();
	if (bpf_prog_test_run_opts(hash_prog_fd, &o))
		die("BPF_PROG_TEST_RUN: %s", strerror(errno));
	if (t->err)
		die("hash program error %d", t->err);
}

static __u64 hash_bytes(const unsigned char *p, size_t n)
{
	static struct tmy_hash_test t;

	memset(&t, 0, sizeof(t));
	if (n > sizeof(t.path))
		die("name longer than PATH_MAX");
	memcpy(t.path, p, n);
	t.path_len = n;
	hash_run(&t);
	return t.path_hash;
}

static __u64 hash_name(const char *encoded)
{
	static unsigned char b[8192];

	return hash_bytes(b, decode(encoded, b, sizeof(b)));
}

static __u64 child_id(__u64 parent, const unsigned char *p, size_t n)
{
	static struct tmy_hash_test t;

	memset(&t, 0, sizeof(t));
	memcpy(t.path, p, n);
	t.path_len = n;
	t.parent = parent;
	hash_run(&t);
	return t.child;
}

/* Domain id from a TOMOYO domain name: split on ' ', decode each word. */
static __u64 domain_id(const char *name)
{
	char *copy = strdup(name), *save = NULL, *w;
	static unsigned char b[8192];
	__u64 id = 0;
	bool first = true;

	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		size_t n = decode(w, b, sizeof(b));

		if (first)
			id = hash_bytes(b, n);
		else
			id = child_id(id, b, n);
		first = false;
	}
	free(copy);
	if (first)
		die("empty domain name");
	return id;
}

/* ---- selftest ------------------------------------------------------------------------------ */
static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void selftest_vectors(const char *file)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	int lines = 0;

	if (!f)
		die("%s: %s", file, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *kind, *name, *hex, *save = NULL;
		__u64 want, got;

		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		kind = strtok_r(line, "\t", &save);
		name = strtok_r(NULL, "\t", &save);
		hex = strtok_r(NULL, "\t", &save);
		if (!kind || !name || !hex)
			die("%s: bad line %d", file, lines + 1);
		want = strtoull(hex, NULL, 16);
		if (!strcmp(kind, "path"))
			got = hash_name(name);
		else if (!strcmp(kind, "domain"))
			got = domain_id(name);
		else
			die("%s: unknown kind '%s'", file, kind);
		CHECK(got == want, "%s %.60s%s: got %016llx want %016llx", kind, name,
		      strlen(name) > 60 ? "..." : "", (unsigned long long)got, (unsigned long long)want);
		lines++;
	}
	free(line);
	fclose(f);
	printf("vectors: %d checked\n", lines);
	if (lines == 0)
		failures++;
}

/* Every recorded prefix must be the hash of the name cut after the matching '/'. */
static void selftest_prefixes(const char *name)
{
	static unsigned char b[8192];
	static struct tmy_hash_test t;
	size_t n = decode(name, b, sizeof(b)), slashes = 0;

	memset(&t, 0, sizeof(t));
	memcpy(t.path, b, n);
	t.path_len = n;
	hash_run(&t);
	for (size_t i = 0; i < n; i++) {
		if (b[i] != '/')
			continue;
		if (slashes < TMY_HASH_TEST_PREFIXES) {
			__u64 want = hash_bytes(b, i + 1);

			CHECK(t.prefix[slashes] == want, "prefix %zu of %.40s: got %016llx want %016llx",
			      slashes, name, (unsigned long long)t.prefix[slashes], (unsigned long long)want);
		}
		slashes++;
	}
	if (slashes > 2047) {
		CHECK(t.prefix_count == 2047 && (t.name_flags & 2), "deep name: count %u flags %#x",
		      t.prefix_count, t.name_flags);
	} else {
		CHECK(t.prefix_count == slashes && !(t.name_flags & 2), "%.40s: prefix count %u want %zu",
		      name, t.prefix_count, slashes);
	}
}

static int map_fd_of(struct bpf_object *o, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);

	if (!m)
		die("no map %s", name);
	return bpf_map__fd(m);
}

static void put_rule(int fd, __u64 dom, __u64 hash, __u32 gen, int match, __u32 perms)
{
	struct tmy_path_key k = { .domain = dom, .path_hash = hash, .generation = gen, .match = match };
	struct tmy_path_val v = { .perms = perms };

	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("rule update: %s", strerror(errno));
}

static void lookup_case(const char *path, __u64 dom, __u32 gen, __u32 depths, __u32 want,
			__u32 exp_granted, __u32 exp_matched)
{
	static struct tmy_hash_test t;
	size_t n;

	memset(&t, 0, sizeof(t));
	n = decode(path, (unsigned char *)t.path, sizeof(t.path));
	t.path_len = n;
	t.rule_domain = dom;
	t.generation = gen;
	t.subtree_depths = depths;
	t.want = want;
	hash_run(&t);
	CHECK(t.granted == exp_granted && t.matched == exp_matched,
	      "lookup %.50s want %#x depths %#x: granted %#x matched %#x, expected %#x %#x",
	      path, want, depths, t.granted, t.matched, exp_granted, exp_matched);
}

static void selftest_lookup(void)
{
	int fd;
	__u64 d = 0x1234, other = 0x5678;
	static char deep[4200];
	size_t l = 0;

	hash_open();
	fd = map_fd_of(hash_obj, "tmy_path_rules");
	put_rule(fd, d, hash_name("/etc/passwd"), 7, TMY_MATCH_EXACT, TMY_PERM_READ);
	put_rule(fd, d, hash_name("/usr/lib/"), 7, TMY_MATCH_SUBTREE, TMY_PERM_READ | TMY_PERM_EXECUTE);
	put_rule(fd, d, hash_name("/var/"), 7, TMY_MATCH_SUBTREE, TMY_PERM_WRITE);
	put_rule(fd, other, hash_name("/etc/shadow"), 7, TMY_MATCH_EXACT, TMY_PERM_READ);
	/* depth 40 subtree rule: /d/d/.../ (40 slashes) */
	for (int i = 0; i < 39; i++)
		l += sprintf(deep + l, "/d");
	l += sprintf(deep + l, "/");
	put_rule(fd, d, hash_name(deep), 7, TMY_MATCH_SUBTREE, TMY_PERM_READ);

	__u32 dep = (1u << 1) | (1u << 2); /* "/var/" has 2 slashes, "/usr/lib/" 3 */
	lookup_case("/etc/passwd", d, 7, dep, TMY_PERM_READ, TMY_PERM_READ, 1);
	lookup_case("/etc/passwd", d, 7, dep, TMY_PERM_WRITE, 0, 0);
	lookup_case("/etc/passwd", d, 8, dep, TMY_PERM_READ, 0, 0);           /* other generation */
	lookup_case("/etc/shadow", d, 7, dep, TMY_PERM_READ, 0, 0);           /* other domain's rule */
	lookup_case("/usr/lib/x/libc.so", d, 7, dep, TMY_PERM_READ, TMY_PERM_READ, 2);
	lookup_case("/usr/lib/", d, 7, dep, TMY_PERM_EXECUTE, 0, 0); /* the dir itself: a subtree rule covers only what is below it (TOMOYO) */
	lookup_case("/usr/lib", d, 7, dep, TMY_PERM_READ, 0, 0);              /* not under /usr/lib/ */
	lookup_case("/usr/libexec/x", d, 7, dep, TMY_PERM_READ, 0, 0);        /* not a string prefix match */
	lookup_case("/usr/lib/x", d, 7, 0, TMY_PERM_READ, 0, 0);              /* no depth bits: exact only */
	lookup_case("/usr/lib/x", d, 7, 1u << 1, TMY_PERM_READ, 0, 0);        /* wrong depth bit */
	lookup_case("/var/log/x", d, 7, dep, TMY_PERM_WRITE, TMY_PERM_WRITE, 2);
	lookup_case("/var/log/x", d, 7, dep, TMY_PERM_READ | TMY_PERM_WRITE, TMY_PERM_WRITE, 2);
	/* deep rules go through the bpf_loop scan (bit 31) */
	char name[4300];
	snprintf(name, sizeof(name), "%sfile", deep);
	lookup_case(name, d, 7, 1u << 31, TMY_PERM_READ, TMY_PERM_READ, 2);
	lookup_case(name, d, 7, 1u << 30, TMY_PERM_READ, 0, 0);
	/* more '/' than recorded while deep rules exist: answer flagged incomplete */
	l = 0;
	for (int i = 0; i < 2047; i++)
		l += sprintf(name + l, "/e");
	l += sprintf(name + l, "/"); /* 2048 slashes in 4095 bytes */
	lookup_case(name, d, 7, 1u << 31, TMY_PERM_READ, 0, 4);
	lookup_case(name, d, 7, 1u << 3, TMY_PERM_READ, 0, 0);
}

/* ---- inet lookup (net_match.bpf.o) --------------------------------------------------------- */
static struct bpf_object *net_obj;
static int net_prog_fd = -1;

static void net_open(void)
{
	char self[PATH_MAX], path[PATH_MAX + 32];
	ssize_t l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct bpf_program *prog;
	struct bpf_map *m;
	char *slash;

	if (net_obj)
		return;
	if (l < 0)
		die("readlink /proc/self/exe: %s", strerror(errno));
	self[l] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	snprintf(path, sizeof(path), "%s/net_match.bpf.o", self);
	net_obj = bpf_object__open_file(path, NULL);
	if (!net_obj)
		die("open %s: %s", path, strerror(errno));
	bpf_object__for_each_map(m, net_obj) { /* as in hash_open: small maps are enough here */
		if (bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF)
			bpf_map__set_max_entries(m, 4096);
		else if (bpf_map__type(m) == BPF_MAP_TYPE_HASH || bpf_map__type(m) == BPF_MAP_TYPE_LPM_TRIE)
			bpf_map__set_max_entries(m, 1024);
	}
	if (bpf_object__load(net_obj))
		die("load %s: %s (verifier log above)", path, strerror(errno));
	prog = bpf_object__find_program_by_name(net_obj, "tmy_net_match_test");
	if (!prog)
		die("%s has no program tmy_net_match_test", path);
	net_prog_fd = bpf_program__fd(prog);
}

static void net_case(__u64 dom, __u32 gen, __u32 dflags, const char *addr, int port, __u32 want, __u32 exp)
{
	struct tmy_net_match_test t = {
		.domain = dom, .generation = gen, .want = want, .domain_flags = dflags, .port = port,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &t, .ctx_size_in = sizeof(t));

	t.family = parse_ip(addr, t.addr);
	if (bpf_prog_test_run_opts(net_prog_fd, &o))
		die("BPF_PROG_TEST_RUN (net_match): %s", strerror(errno));
	t.granted = o.retval; /* a raw_tp context is not copied back: the result is the retval */
	CHECK(t.granted == exp, "inet %s port %d want %#x flags %#x: granted %#x, expected %#x", addr, port,
	      want, dflags, t.granted, exp);
}

static void selftest_net(void)
{
	const __u64 d = 0x1234, other = 0x5678;
	const __u32 R = TMY_DOMAIN_INET_RANGES, g = 7;
	const __u32 SC = TMY_NET_PERM(TMY_NET_STREAM, TMY_NET_CONNECT);
	const __u32 SB = TMY_NET_PERM(TMY_NET_STREAM, TMY_NET_BIND);
	const __u32 DS = TMY_NET_PERM(TMY_NET_DGRAM, TMY_NET_SEND);
	const __u32 RS = TMY_NET_PERM(TMY_NET_RAW, TMY_NET_SEND);
	int rules, ranges, ports;
	int cases = failures;

	net_open();
	rules = map_fd_of(net_obj, "tmy_inet_rules");
	ranges = map_fd_of(net_obj, "tmy_inet_ranges");
	ports = map_fd_of(net_obj, "tmy_port_sets");
	{ /* exact rules */
		struct { const char *a; int port; __u32 perms; } ex[] = {
			{ "10.1.2.3", 80, SC }, { "2001:db8::1", 443, SC }, { "192.168.1.9", 1500, SB },
		};
		for (size_t i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
			struct tmy_inet_key k = { .domain = d, .generation = g, .port = ex[i].port };
			struct tmy_path_val v = { .perms = ex[i].perms };

			k.family = parse_ip(ex[i].a, k.addr);
			if (bpf_map_update_elem(rules, &k, &v, BPF_ANY))
				die("tmy_inet_rules: %s", strerror(errno));
		}
	}
	{ /* 192.168.1.0/24 -> set 5; 2001:db8::/32 -> set 6 */
		struct { const char *a; int bits; __u32 set; } rg[] = {
			{ "192.168.1.0", 24, 5 }, { "2001:db8::", 32, 6 },
		};
		for (size_t i = 0; i < sizeof(rg) / sizeof(rg[0]); i++) {
			struct tmy_inet_range_key k = { .generation = g, .domain = d };
			struct tmy_inet_range_val v = { .port_set = rg[i].set };

			k.family = parse_ip(rg[i].a, k.addr);
			k.prefixlen = TMY_INET_RANGE_FIXED_BITS + rg[i].bits;
			if (bpf_map_update_elem(ranges, &k, &v, BPF_ANY))
				die("tmy_inet_ranges: %s", strerror(errno));
		}
	}
	{ /* set 5: 1024-2047 (1024/6 bits) stream connect + dgram send, 8080 stream connect;
	   * set 6: every port, raw send */
		struct { __u32 set; int port, bits; __u32 perms; } ps[] = {
			{ 5, 1024, 6, SC | DS }, { 5, 8080, 16, SC }, { 6, 0, 0, RS },
		};
		for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
			struct tmy_port_key k = { .generation = g, .port_set = ps[i].set };
			struct tmy_port_val v = { .perms = ps[i].perms };

			k.port[0] = ps[i].port >> 8;
			k.port[1] = ps[i].port & 0xff;
			k.prefixlen = TMY_PORT_SET_FIXED_BITS + ps[i].bits;
			if (bpf_map_update_elem(ports, &k, &v, BPF_ANY))
				die("tmy_port_sets: %s", strerror(errno));
		}
	}
	/* exact */
	net_case(d, g, 0, "10.1.2.3", 80, SC, SC);
	net_case(d, g, 0, "10.1.2.3", 81, SC, 0);
	net_case(d, g, 0, "10.1.2.4", 80, SC, 0);
	net_case(d, g, 0, "10.1.2.3", 80, SB, 0);          /* another operation */
	net_case(d, g + 1, 0, "10.1.2.3", 80, SC, 0);      /* another generation */
	net_case(other, g, R, "10.1.2.3", 80, SC, 0);      /* another domain */
	net_case(d, g, 0, "2001:db8::1", 443, SC, SC);
	net_case(d, g, 0, "2001:db8::2", 443, SC, 0);
	/* the /24 with a port range: first/last address and port in, one past out */
	net_case(d, g, R, "192.168.1.0", 1024, SC, SC);
	net_case(d, g, R, "192.168.1.255", 2047, DS, DS);
	net_case(d, g, R, "192.168.1.128", 1500, SC | DS, SC | DS);
	net_case(d, g, R, "192.168.2.0", 1024, SC, 0);
	net_case(d, g, R, "192.168.0.255", 2047, SC, 0);
	net_case(d, g, R, "192.168.1.7", 1023, SC, 0);
	net_case(d, g, R, "192.168.1.7", 2048, SC, 0);
	net_case(d, g, R, "192.168.1.7", 8080, SC, SC);
	net_case(d, g, R, "192.168.1.7", 8080, DS, 0);     /* 8080 has stream connect only */
	net_case(d, g, R, "192.168.1.7", 8081, SC, 0);
	net_case(d, g, 0, "192.168.1.7", 1500, SC, 0);     /* no TMY_DOMAIN_INET_RANGES: exact only */
	net_case(d, g + 1, R, "192.168.1.7", 1500, SC, 0); /* another generation */
	/* exact and range together: each grants its own bit */
	net_case(d, g, R, "192.168.1.9", 1500, SB | SC, SB | SC);
	net_case(d, g, 0, "192.168.1.9", 1500, SB | SC, SB);
	/* IPv6 range, every port */
	net_case(d, g, R, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 58, RS, RS);
	net_case(d, g, R, "2001:db8::", 0, RS, RS);
	net_case(d, g, R, "2001:db9::", 58, RS, 0);
	net_case(d, g, R, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 58, RS, 0);
	net_case(d, g, R, "::ffff:192.168.1.7", 1500, SC, 0); /* v4-mapped is IPv6, not the v4 range */
	printf("inet lookup: 27 cases, %d failed\n", failures - cases);
}

static int cmd_selftest(const char *vectors)
{
	static char big[4200];
	size_t l = 0;

	selftest_vectors(vectors);
	selftest_prefixes("/");
	selftest_prefixes("/usr/bin/cat");
	selftest_prefixes("/etc/");
	selftest_prefixes("proc:/self/status");
	selftest_prefixes("pipe:[1]");
	selftest_prefixes("/a\\040b/c\\\\d/\\377/");
	for (int i = 0; i < 200; i++)
		l += sprintf(big + l, "/abcdefghijklmnopq");
	selftest_prefixes(big); /* 3600 bytes, 200 slashes */
	l = 0;
	for (int i = 0; i < 2047; i++)
		l += sprintf(big + l, "/a");
	l += sprintf(big + l, "/"); /* 4095 bytes, 2048 slashes: one more than recorded */
	selftest_prefixes(big);
	/* lengths 0..40 around every word boundary */
	for (int n = 0; n <= 40; n++) {
		unsigned char b[64];
		static struct tmy_hash_test t;

		for (int i = 0; i < n; i++)
			b[i] = (i % 5 == 4) ? '/' : 'a' + i;
		memset(&t, 0, sizeof(t));
		memcpy(t.path, b, n);
		memset(t.path + n, '/', 16); /* garbage after the end must not count */
		t.path_len = n;
		hash_run(&t);
		__u64 h = 0xcbf29ce484222325ULL;
		for (int i = 0; i < n; i++)
			h = (h ^ b[i]) * 0x100000001b3ULL; /* the definition, to check tail masking */
		CHECK(t.path_hash == h, "length %d: %016llx vs %016llx", n,
		      (unsigned long long)t.path_hash, (unsigned long long)h);
		CHECK(t.prefix_count == (__u32)(n / 5), "length %d: %u prefixes", n, t.prefix_count);
	}
	/* root of a namespace: '<' + name + '>' */
	CHECK(domain_id("</usr/sbin/httpd>") == ({
		static struct tmy_hash_test t;
		memset(&t, 0, sizeof(t));
		strcpy(t.path, "/usr/sbin/httpd");
		t.path_len = strlen(t.path);
		hash_run(&t);
		t.root; }), "root hash of /usr/sbin/httpd");
	selftest_lookup();
	selftest_net();
	if (failures) {
		fprintf(stderr, "selftest: %d failure(s)\n", failures);
		return 1;
	}
	printf("selftest: ok\n");
	return 0;
}

/* ---- pinned maps --------------------------------------------------------------------------- */
static int pinned(const char *dir, const char *name)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = bpf_obj_get(p);
	if (fd < 0)
		die("%s: %s", p, strerror(errno));
	return fd;
}

static __u32 current_gen(const char *dir)
{
	__u32 k = 0;
	struct tmy_state st = {};

	if (bpf_map_lookup_elem(pinned(dir, "tmy_state"), &k, &st))
		die("tmy_state: %s", strerror(errno));
	return st.generation;
}

static __u32 parse_perms(const char *s)
{
	__u32 p = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'r': p |= TMY_PERM_READ; break;
		case 'w': p |= TMY_PERM_WRITE; break;
		case 'a': p |= TMY_PERM_APPEND; break;
		case 'x': p |= TMY_PERM_EXECUTE; break;
		case 'u': p |= TMY_PERM_UNLINK; break;
		case 'g': p |= TMY_PERM_GETATTR; break;
		case 'd': p |= TMY_PERM_RMDIR; break;
		case 't': p |= TMY_PERM_TRUNCATE; break;
		case 's': p |= TMY_PERM_SYMLINK; break;
		case 'c': p |= TMY_PERM_CHROOT; break;
		case 'm': p |= TMY_PERM_UNMOUNT; break;
		case 'n': p |= TMY_PERM_CREATE; break;
		case 'k': p |= TMY_PERM_MKDIR; break;
		case 'f': p |= TMY_PERM_MKFIFO; break;
		case 'o': p |= TMY_PERM_MKSOCK; break;
		case 'i': p |= TMY_PERM_IOCTL; break;
		case 'h': p |= TMY_PERM_CHMOD; break;
		case 'O': p |= TMY_PERM_CHOWN; break;
		case 'G': p |= TMY_PERM_CHGRP; break;
		case 'B': p |= TMY_PERM_MKBLOCK; break;
		case 'H': p |= TMY_PERM_MKCHAR; break;
		case 'l': p |= TMY_PERM_LINK; break;
		case 'R': p |= TMY_PERM_RENAME; break;
		case 'P': p |= TMY_PERM_PIVOT_ROOT; break;
		case 'M': p |= TMY_PERM_MOUNT; break;
		default: die("perms: use r, w, a, x, u(nlink), g(etattr), d (rmdir), t(runcate), s(ymlink), c(hroot), m (unmount), "
			     "n (create), k (mkdir), f (mkfifo), o (mksock), i(octl), h (chmod), O (chown), G (chgrp), "
			     "B (mkblock), H (mkchar), l(ink), R(ename), P (pivot_root), M (mount)");
		}
	}
	return p;
}

static void print_perms(__u32 p)
{
	if (!p)
		fputc('-', stdout);
	if (p & TMY_PERM_READ) fputc('r', stdout);
	if (p & TMY_PERM_WRITE) fputc('w', stdout);
	if (p & TMY_PERM_APPEND) fputc('a', stdout);
	if (p & TMY_PERM_EXECUTE) fputc('x', stdout);
	if (p & TMY_PERM_UNLINK) fputc('u', stdout);
	if (p & TMY_PERM_GETATTR) fputc('g', stdout);
	if (p & TMY_PERM_RMDIR) fputc('d', stdout);
	if (p & TMY_PERM_TRUNCATE) fputc('t', stdout);
	if (p & TMY_PERM_SYMLINK) fputc('s', stdout);
	if (p & TMY_PERM_CHROOT) fputc('c', stdout);
	if (p & TMY_PERM_UNMOUNT) fputc('m', stdout);
	if (p & TMY_PERM_CREATE) fputc('n', stdout);
	if (p & TMY_PERM_MKDIR) fputc('k', stdout);
	if (p & TMY_PERM_MKFIFO) fputc('f', stdout);
	if (p & TMY_PERM_MKSOCK) fputc('o', stdout);
	if (p & TMY_PERM_IOCTL) fputc('i', stdout);
	if (p & TMY_PERM_CHMOD) fputc('h', stdout);
	if (p & TMY_PERM_CHOWN) fputc('O', stdout);
	if (p & TMY_PERM_CHGRP) fputc('G', stdout);
	if (p & TMY_PERM_MKBLOCK) fputc('B', stdout);
	if (p & TMY_PERM_MKCHAR) fputc('H', stdout);
	if (p & TMY_PERM_LINK) fputc('l', stdout);
	if (p & TMY_PERM_RENAME) fputc('R', stdout);
	if (p & TMY_PERM_PIVOT_ROOT) fputc('P', stdout);
	if (p & TMY_PERM_MOUNT) fputc('M', stdout);
}

static int cmd_load(const char *objpath, const char *dir)
{
	struct bpf_object *obj = bpf_object__open_file(objpath, NULL);
	struct bpf_program *prog;
	struct bpf_map *map;
	char p[PATH_MAX];
	bool stats = getenv("TMY_VERIFIER_STATS") != NULL;
	static char logs[32][4096];
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int i = 0;

	if (!obj)
		die("open %s: %s", objpath, strerror(errno));
	/* "?lsm/HOOK" programs (hooks only some kernels have): load where bpf_lsm_HOOK exists */
	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);
		char fn[128];

		if (bpf_program__autoload(prog) || !vmlinux)
			continue;
		if (sec[0] == '?')
			sec++;
		if (strncmp(sec, "lsm/", 4))
			continue;
		snprintf(fn, sizeof(fn), "bpf_lsm_%s", sec + 4);
		if (btf__find_by_name_kind(vmlinux, fn, BTF_KIND_FUNC) > 0) {
			bpf_program__set_autoload(prog, true);
			printf("optional %s: loaded (%s exists)\n", bpf_program__name(prog), fn);
		} else {
			printf("optional %s: not loaded (no %s in this kernel)\n", bpf_program__name(prog), fn);
		}
	}
	btf__free(vmlinux);
	if (stats) {
		bpf_object__for_each_program(prog, obj) {
			if (i < 32) {
				bpf_program__set_log_buf(prog, logs[i], sizeof(logs[i]));
				bpf_program__set_log_level(prog, 4);
			}
			i++;
		}
	}
	/* TMY_VERIFIER_LOG=PROG: the verifier's full log of program PROG, its tail printed on failure */
	const char *logprog = getenv("TMY_VERIFIER_LOG");
	char *biglog = NULL;
	size_t biglen = 64 << 20;

	if (logprog && (prog = bpf_object__find_program_by_name(obj, logprog)) && (biglog = calloc(1, biglen))) {
		bpf_program__set_log_buf(prog, biglog, biglen);
		bpf_program__set_log_level(prog, 1);
	}
	if (bpf_object__load(obj)) {
		int e = errno;

		if (biglog) {
			size_t n = strlen(biglog);
			const char *t = n > 6000 ? biglog + n - 6000 : biglog;

			fprintf(stderr, "--- verifier log tail of %s ---\n%s\n", logprog, t);
		}
		die("load %s: %s", objpath, strerror(e));
	}
	if (stats) {
		i = 0;
		bpf_object__for_each_program(prog, obj) {
			if (i < 32 && bpf_program__autoload(prog)) {
				char *pl = strstr(logs[i], "processed");

				printf("verifier %s: %s", bpf_program__name(prog), pl ? pl : logs[i]);
			}
			i++;
		}
	}
	mkdir(dir, 0700);
	snprintf(p, sizeof(p), "%s/links", dir);
	mkdir(p, 0700);
	bpf_object__for_each_map(map, obj) {
		if (strncmp(bpf_map__name(map), "tmy_", 4))
			continue; /* .rodata etc. */
		snprintf(p, sizeof(p), "%s/%s", dir, bpf_map__name(map));
		if (bpf_map__pin(map, p))
			die("pin %s: %s", p, strerror(errno));
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_link *l;

		if (!bpf_program__autoload(prog))
			continue;
		l = bpf_program__attach(prog);

		if (!l)
			die("attach %s: %s", bpf_program__name(prog), strerror(errno));
		snprintf(p, sizeof(p), "%s/links/%s", dir, bpf_program__name(prog));
		if (bpf_link__pin(l, p))
			die("pin %s: %s", p, strerror(errno));
	}
	printf("loaded %s: maps in %s, links in %s/links\n", objpath, dir, dir);
	return 0;
}

static int cmd_profile(int argc, char **argv)
{
	struct tmy_profile v = {};
	__u32 k;

	if (argc < 4)
		die("profile DIR N MODE [grant_log] [reject_log] [max=K]");
	k = atoi(argv[2]);
	v.mode[TMY_CAT_FILE] = atoi(argv[3]);
	for (int i = 4; i < argc; i++) {
		if (!strncmp(argv[i], "net=", 4))
			v.mode[TMY_CAT_NETWORK] = atoi(argv[i] + 4);
		else if (!strncmp(argv[i], "cap=", 4))
			v.mode[TMY_CAT_CAPABILITY] = atoi(argv[i] + 4);
		else if (!strncmp(argv[i], "ipc=", 4))
			v.mode[TMY_CAT_IPC] = atoi(argv[i] + 4);
		else if (!strcmp(argv[i], "grant_log"))
			v.flags |= TMY_PROFILE_GRANT_LOG;
		else if (!strcmp(argv[i], "reject_log"))
			v.flags |= TMY_PROFILE_REJECT_LOG;
		else if (!strncmp(argv[i], "max=", 4))
			v.max_learning_entry = atoi(argv[i] + 4);
		else
			die("profile: unknown option %s", argv[i]);
	}
	if (bpf_map_update_elem(pinned(argv[1], "tmy_profiles"), &k, &v, BPF_ANY))
		die("tmy_profiles: %s", strerror(errno));
	return 0;
}

static int cmd_domain(int argc, char **argv)
{
	struct tmy_domain_key k = {};
	struct tmy_domain_val v = {};

	int fd;

	if (argc < 4)
		die("domain DIR DOMAIN PROFILE [depths=0x..] [flags=0x..] [parent=DOMAIN|0]");
	fd = pinned(argv[1], "tmy_domains");
	k.domain = domain_id(argv[2]);
	k.generation = current_gen(argv[1]);
	if (!bpf_map_lookup_elem(fd, &k, &v))
		v = (struct tmy_domain_val){ .parent = v.parent }; /* the kernel's parent stays */
	v.profile = atoi(argv[3]);
	for (int i = 4; i < argc; i++) {
		if (!strncmp(argv[i], "depths=", 7))
			v.subtree_depths = strtoul(argv[i] + 7, NULL, 0);
		else if (!strncmp(argv[i], "flags=", 6))
			v.flags = strtoul(argv[i] + 6, NULL, 0);
		else if (!strncmp(argv[i], "parent=", 7))
			v.parent = strcmp(argv[i] + 7, "0") ? domain_id(argv[i] + 7) : 0;
		else
			die("domain: unknown option %s", argv[i]);
	}
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("tmy_domains: %s", strerror(errno));
	return 0;
}

static int cmd_domain_get(int argc, char **argv)
{
	struct tmy_domain_key k = {};
	struct tmy_domain_val v = {};

	if (argc < 3)
		die("domain-get DIR DOMAIN");
	k.domain = domain_id(argv[2]);
	k.generation = current_gen(argv[1]);
	if (bpf_map_lookup_elem(pinned(argv[1], "tmy_domains"), &k, &v))
		return 1;
	printf("profile=%u flags=%#x learned=%u depths=%#x parent=%016llx\n", v.profile, v.flags,
	       v.learned, v.subtree_depths, (unsigned long long)v.parent);
	return 0;
}

static int cmd_rule(int argc, char **argv, bool get)
{
	struct tmy_path_key k = {};
	struct tmy_path_val v = {};
	int fd, n = get ? 4 : 5;

	if (argc < n)
		die(get ? "rule-get DIR DOMAIN PATH [subtree]" : "rule DIR DOMAIN PATH PERMS [subtree]");
	fd = pinned(argv[1], "tmy_path_rules");
	k.domain = domain_id(argv[2]);
	k.path_hash = hash_name(argv[3]);
	k.generation = current_gen(argv[1]);
	k.match = (argc > n && !strcmp(argv[n], "subtree")) ? TMY_MATCH_SUBTREE : TMY_MATCH_EXACT;
	if (argc > n && !strcmp(argv[n], "with")) {
		/* a learned form: fold(fold(hash(PATH), hash(S1)), hash(S2)) (tomoyo_abi.h) */
		static unsigned char b[8192];

		for (int i = n + 1; i < argc; i++)
			k.path_hash = child_id(k.path_hash, b, decode(argv[i], b, sizeof(b)));
	}
	if (get) {
		if (bpf_map_lookup_elem(fd, &k, &v))
			return 1;
		printf("perms=");
		print_perms(v.perms);
		printf(" learned=");
		print_perms(v.learned);
		printf("\n");
		return 0;
	}
	bpf_map_lookup_elem(fd, &k, &v);
	v.perms |= parse_perms(argv[4]);
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("tmy_path_rules: %s", strerror(errno));
	return 0;
}

static int cmd_transition(int argc, char **argv)
{
	static const char *types[] = { "no_reset_domain", "reset_domain", "no_initialize_domain",
				       "initialize_domain", "no_keep_domain", "keep_domain" };
	struct tmy_transition_key k = {};
	__u32 one = 1;
	int t;

	if (argc < 4)
		die("transition DIR TYPE PROGRAM|any [domain DOMAIN|last NAME]");
	for (t = 0; t < TMY_TR_MAX; t++)
		if (!strcmp(argv[2], types[t]))
			break;
	if (t == TMY_TR_MAX)
		die("transition type: no_reset_domain reset_domain no_initialize_domain initialize_domain no_keep_domain keep_domain");
	k.type = t;
	k.program = strcmp(argv[3], "any") ? hash_name(argv[3]) : 0;
	k.generation = current_gen(argv[1]);
	if (argc > 5 && !strcmp(argv[4], "domain")) {
		k.from_kind = TMY_FROM_DOMAIN;
		k.from = domain_id(argv[5]);
	} else if (argc > 5 && !strcmp(argv[4], "last")) {
		k.from_kind = TMY_FROM_LASTNAME;
		k.from = hash_name(argv[5]);
	}
	if (bpf_map_update_elem(pinned(argv[1], "tmy_transitions"), &k, &one, BPF_ANY))
		die("tmy_transitions: %s", strerror(errno));
	return 0;
}

static int cmd_aggregator(int argc, char **argv)
{
	struct tmy_aggregator_key k = {};
	struct tmy_aggregator_val v = {};
	char root[8192];

	if (argc < 4)
		die("aggregator DIR PROGRAM AGGREGATED");
	k.program = hash_name(argv[2]);
	k.generation = current_gen(argv[1]);
	v.aggregated = hash_name(argv[3]);
	snprintf(root, sizeof(root), "<%s>", argv[3]);
	v.aggregated_root = hash_name(root);
	if (bpf_map_update_elem(pinned(argv[1], "tmy_aggregators"), &k, &v, BPF_ANY))
		die("tmy_aggregators: %s", strerror(errno));
	return 0;
}

/* ---- network, capability, signal rules ---------------------------------------------------- */
static const char *net_protos[] = { "stream", "dgram", "seqpacket", "raw" };
static const char *net_ops[] = { "bind", "listen", "connect", "send" };

static int net_proto(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, net_protos[i]))
			return i;
	die("protocol: stream, dgram, seqpacket or raw");
	return 0;
}

/* "connect/send" for protocol `proto` -> TMY_NET_PERM bits */
static __u32 net_perms(const char *proto, const char *ops)
{
	int p = net_proto(proto);
	char *copy = strdup(ops), *save = NULL, *w;
	__u32 bits = 0;

	for (w = strtok_r(copy, "/", &save); w; w = strtok_r(NULL, "/", &save)) {
		int o;

		for (o = 0; o < 4; o++)
			if (!strcmp(w, net_ops[o]))
				break;
		if (o == 4)
			die("operation: bind, listen, connect or send");
		bits |= TMY_NET_PERM(p, o);
	}
	free(copy);
	return bits;
}

/* "stream:connect,dgram:send" or "-" */
static void print_net_perms(__u32 bits)
{
	bool first = true;

	for (int b = 0; b < 16; b++) {
		if (!(bits & (1u << b)))
			continue;
		printf("%s%s:%s", first ? "" : ",", net_protos[b / 4], net_ops[b % 4]);
		first = false;
	}
	if (first)
		fputc('-', stdout);
}

static __u8 parse_ip(const char *a, __u8 addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, a, addr) == 1)
		return TMY_AF_INET;
	if (inet_pton(AF_INET6, a, addr) == 1)
		return TMY_AF_INET6;
	die("not an IPv4 or IPv6 address: %s", a);
	return 0;
}

static int cmd_inet_rule(int argc, char **argv, bool get)
{
	struct tmy_inet_key k = {};
	struct tmy_path_val v = {};
	int fd, a = get ? 3 : 5;

	if (argc < a + 2)
		die(get ? "inet-rule-get DIR DOMAIN ADDR PORT" : "inet-rule DIR DOMAIN PROTO OPS ADDR PORT");
	fd = pinned(argv[1], "tmy_inet_rules");
	k.domain = domain_id(argv[2]);
	k.generation = current_gen(argv[1]);
	k.family = parse_ip(argv[a], k.addr);
	k.port = atoi(argv[a + 1]);
	if (get) {
		if (bpf_map_lookup_elem(fd, &k, &v))
			return 1;
		printf("perms=");
		print_net_perms(v.perms);
		printf(" learned=");
		print_net_perms(v.learned);
		printf("\n");
		return 0;
	}
	bpf_map_lookup_elem(fd, &k, &v);
	v.perms |= net_perms(argv[3], argv[4]);
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("tmy_inet_rules: %s", strerror(errno));
	return 0;
}

static int cmd_inet_range(int argc, char **argv)
{
	struct tmy_inet_range_key k = {};
	struct tmy_inet_range_val v = {};

	if (argc < 6)
		die("inet-range DIR DOMAIN ADDR PREFIXBITS PORTSET");
	k.generation = current_gen(argv[1]);
	k.domain = domain_id(argv[2]);
	k.family = parse_ip(argv[3], k.addr);
	k.prefixlen = TMY_INET_RANGE_FIXED_BITS + atoi(argv[4]);
	v.port_set = atoi(argv[5]);
	if (bpf_map_update_elem(pinned(argv[1], "tmy_inet_ranges"), &k, &v, BPF_ANY))
		die("tmy_inet_ranges: %s", strerror(errno));
	return 0;
}

static int cmd_port_set(int argc, char **argv)
{
	struct tmy_port_key k = {};
	struct tmy_port_val v = {};
	int port;

	if (argc < 7)
		die("port-set DIR PORTSET PORT PREFIXBITS PROTO OPS");
	k.generation = current_gen(argv[1]);
	k.port_set = atoi(argv[2]);
	port = atoi(argv[3]);
	k.port[0] = port >> 8;
	k.port[1] = port & 0xff;
	k.prefixlen = TMY_PORT_SET_FIXED_BITS + atoi(argv[4]);
	v.perms = net_perms(argv[5], argv[6]);
	if (bpf_map_update_elem(pinned(argv[1], "tmy_port_sets"), &k, &v, BPF_ANY))
		die("tmy_port_sets: %s", strerror(errno));
	return 0;
}

static int cmd_unix_rule(int argc, char **argv, bool get)
{
	struct tmy_path_key k = {};
	struct tmy_path_val v = {};
	int fd, n = get ? 3 : 5;

	if (argc < n + 1)
		die(get ? "unix-rule-get DIR DOMAIN NAME" : "unix-rule DIR DOMAIN PROTO OPS NAME");
	fd = pinned(argv[1], "tmy_path_rules");
	k.domain = domain_id(argv[2]);
	k.path_hash = hash_name(argv[n]);
	k.generation = current_gen(argv[1]);
	k.match = TMY_MATCH_UNIX;
	if (get) {
		if (bpf_map_lookup_elem(fd, &k, &v))
			return 1;
		printf("perms=");
		print_net_perms(v.perms);
		printf(" learned=");
		print_net_perms(v.learned);
		printf("\n");
		return 0;
	}
	bpf_map_lookup_elem(fd, &k, &v);
	v.perms |= net_perms(argv[3], argv[4]);
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("tmy_path_rules: %s", strerror(errno));
	return 0;
}

static int cmd_cap(int argc, char **argv, bool get)
{
	struct tmy_domain_key k = {};
	struct tmy_cap_val v = {};
	int fd;

	if (argc < (get ? 3 : 4))
		die(get ? "cap-get DIR DOMAIN" : "cap-rule DIR DOMAIN CAP");
	fd = pinned(argv[1], "tmy_cap_rules");
	k.domain = domain_id(argv[2]);
	k.generation = current_gen(argv[1]);
	if (get) {
		if (bpf_map_lookup_elem(fd, &k, &v))
			return 1;
		printf("allowed=%#llx learned=%#llx\n", (unsigned long long)v.allowed,
		       (unsigned long long)v.learned);
		return 0;
	}
	bpf_map_lookup_elem(fd, &k, &v);
	v.allowed |= 1ULL << atoi(argv[3]);
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("tmy_cap_rules: %s", strerror(errno));
	return 0;
}

static int cmd_signal(int argc, char **argv, bool get)
{
	struct tmy_signal_key k = {};
	struct tmy_path_val v = { .perms = TMY_SIGNAL_ALLOWED };
	int fd;

	if (argc < 5)
		die(get ? "signal-get DIR DOMAIN TARGET_DOMAIN SIG" : "signal-rule DIR DOMAIN TARGET_DOMAIN SIG");
	fd = pinned(argv[1], "tmy_signal_rules");
	k.domain = domain_id(argv[2]);
	k.target = domain_id(argv[3]);
	k.generation = current_gen(argv[1]);
	k.sig = atoi(argv[4]);
	if (get) {
		if (bpf_map_lookup_elem(fd, &k, &v))
			return 1;
		printf("perms=%u learned=%u\n", v.perms, v.learned);
		return 0;
	}
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY))
		die("tmy_signal_rules: %s", strerror(errno));
	return 0;
}

static int cmd_task(int argc, char **argv)
{
	struct tmy_task v = {};
	int pidfd;

	if (argc < 3)
		die("task DIR PID");
	pidfd = syscall(SYS_pidfd_open, atoi(argv[2]), 0);
	if (pidfd < 0)
		die("pidfd_open %s: %s", argv[2], strerror(errno));
	if (bpf_map_lookup_elem(pinned(argv[1], "tmy_tasks"), &pidfd, &v) || !v.domain) {
		printf("%016llx\n", (unsigned long long)TMY_KERNEL_DOMAIN_ID);
		return 0;
	}
	printf("%016llx\n", (unsigned long long)v.domain);
	if (getenv("TMY_TASK_VERBOSE"))
		printf("ns=%016llx last=%016llx profile=%u flags=%#x pending=%016llx\n",
		       (unsigned long long)v.ns, (unsigned long long)v.last_name, v.profile, v.flags,
		       (unsigned long long)v.pending_domain);
	return 0;
}

static const char *perm_name(__u32 p)
{
	switch (p) {
	case TMY_PERM_READ: return "read";
	case TMY_PERM_WRITE: return "write";
	case TMY_PERM_APPEND: return "append";
	case TMY_PERM_EXECUTE: return "execute";
	case TMY_PERM_UNLINK: return "unlink";
	case TMY_PERM_GETATTR: return "getattr";
	case TMY_PERM_RMDIR: return "rmdir";
	case TMY_PERM_TRUNCATE: return "truncate";
	case TMY_PERM_SYMLINK: return "symlink";
	case TMY_PERM_CHROOT: return "chroot";
	case TMY_PERM_UNMOUNT: return "unmount";
	case TMY_PERM_CREATE: return "create";
	case TMY_PERM_MKDIR: return "mkdir";
	case TMY_PERM_MKFIFO: return "mkfifo";
	case TMY_PERM_MKSOCK: return "mksock";
	case TMY_PERM_IOCTL: return "ioctl";
	case TMY_PERM_CHMOD: return "chmod";
	case TMY_PERM_CHOWN: return "chown";
	case TMY_PERM_CHGRP: return "chgrp";
	case TMY_PERM_MKBLOCK: return "mkblock";
	case TMY_PERM_MKCHAR: return "mkchar";
	case TMY_PERM_LINK: return "link";
	case TMY_PERM_RENAME: return "rename";
	case TMY_PERM_PIVOT_ROOT: return "pivot_root";
	case TMY_PERM_MOUNT: return "mount";
	default: return "?";
	}
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct tmy_event_hdr *h = data;

	(void)ctx;
	if (size < sizeof(*h) || h->size > size) {
		printf("BAD size=%zu\n", size);
		return 0;
	}
	if (h->type == TMY_EV_NET_LEARN || h->type == TMY_EV_NET_AUDIT) {
		const struct tmy_net_event *e = data;
		char a[64];

		printf("%s domain=%016llx pid=%u perm=", h->type == TMY_EV_NET_LEARN ? "NET_LEARN" : "NET_AUDIT",
		       (unsigned long long)h->domain, h->pid);
		print_net_perms(e->perm);
		printf(" mode=%u profile=%u flags=%#x ", e->mode, e->profile, e->flags);
		if (e->family == TMY_AF_UNIX) {
			printf("unix=");
			if (e->path_len)
				print_encoded(stdout, (const unsigned char *)(e + 1), e->path_len);
			else
				printf("anonymous");
		} else {
			inet_ntop(e->family == TMY_AF_INET6 ? AF_INET6 : AF_INET, e->addr, a, sizeof(a));
			printf("addr=%s port=%u", a, e->port);
		}
		printf("\n");
		return 0;
	}
	if (h->type == TMY_EV_CAP_LEARN || h->type == TMY_EV_CAP_AUDIT) {
		const struct tmy_cap_event *e = data;

		printf("%s domain=%016llx pid=%u cap=%u mode=%u profile=%u flags=%#x\n",
		       h->type == TMY_EV_CAP_LEARN ? "CAP_LEARN" : "CAP_AUDIT", (unsigned long long)h->domain,
		       h->pid, e->cap, e->mode, e->profile, e->flags);
		return 0;
	}
	if (h->type == TMY_EV_SIGNAL_LEARN || h->type == TMY_EV_SIGNAL_AUDIT) {
		const struct tmy_signal_event *e = data;

		printf("%s domain=%016llx pid=%u target=%016llx sig=%u target_pid=%u mode=%u profile=%u flags=%#x\n",
		       h->type == TMY_EV_SIGNAL_LEARN ? "SIG_LEARN" : "SIG_AUDIT", (unsigned long long)h->domain,
		       h->pid, (unsigned long long)e->target, e->sig, e->target_pid, e->mode, e->profile,
		       e->flags);
		return 0;
	}
	if (h->type == TMY_EV_DOMAIN) {
		const struct tmy_domain_event *e = data;

		printf("DOMAIN domain=%016llx pid=%u parent=%016llx program=%016llx profile=%u transition=%u flags=%#x path=",
		       (unsigned long long)h->domain, h->pid, (unsigned long long)e->parent,
		       (unsigned long long)e->program, e->profile, e->transition, e->flags);
		print_encoded(stdout, (const unsigned char *)(e + 1), e->path_len);
	} else {
		const struct tmy_access_event *e = data;

		printf("%s domain=%016llx pid=%u object=%016llx perm=%s mode=%u profile=%u flags=%#x path=",
		       h->type == TMY_EV_LEARN ? "LEARN" : "AUDIT", (unsigned long long)h->domain, h->pid,
		       (unsigned long long)e->object, perm_name(e->perm), e->mode, e->profile, e->flags);
		print_encoded(stdout, (const unsigned char *)(e + 1), e->path_len);
	}
	printf("\n");
	return 0;
}

static int cmd_events(int argc, char **argv)
{
	struct ring_buffer *rb;
	int ms = argc > 2 ? atoi(argv[2]) : 200;

	if (argc < 2)
		die("events DIR [MS]");
	rb = ring_buffer__new(pinned(argv[1], "tmy_events"), on_event, NULL, NULL);
	if (!rb)
		die("ring_buffer__new: %s", strerror(errno));
	while (ring_buffer__poll(rb, ms) > 0)
		;
	fflush(stdout);
	ring_buffer__free(rb);
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	static const char *names[TMY_STAT_MAX] = {
		"events", "events_dropped", "path_unresolved", "task_no_storage", "denied", "learned",
		"domains_full", "rules_full", "scratch_busy", "transition_failed", "addr_short",
		"exec_link_unnamed", "exec_argv0_unread", /* issue 6 */
	};
	int ncpu = libbpf_num_possible_cpus(), fd;
	__u64 *v = calloc(ncpu, sizeof(__u64));

	if (argc < 2)
		die("stats DIR");
	fd = pinned(argv[1], "tmy_stats");
	for (__u32 k = 0; k < TMY_STAT_MAX; k++) {
		__u64 sum = 0;

		if (!names[k])
			continue;
		if (bpf_map_lookup_elem(fd, &k, v))
			die("tmy_stats: %s", strerror(errno));
		for (int c = 0; c < ncpu; c++)
			sum += v[c];
		printf("%s=%llu\n", names[k], (unsigned long long)sum);
	}
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	argv0 = argv[0];
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);
	if (argc < 2)
		die("usage: see the top of bpf/test/tmy_tool.c");
	argc--;
	argv++;
	if (!strcmp(argv[0], "selftest") && argc > 1)
		return cmd_selftest(argv[1]);
	if (!strcmp(argv[0], "hash") && argc > 1) {
		printf("%016llx\n", (unsigned long long)hash_name(argv[1]));
		return 0;
	}
	if (!strcmp(argv[0], "id") && argc > 1) {
		printf("%016llx\n", (unsigned long long)domain_id(argv[1]));
		return 0;
	}
	if (!strcmp(argv[0], "load") && argc > 2)
		return cmd_load(argv[1], argv[2]);
	if (!strcmp(argv[0], "gen") && argc > 2) {
		__u32 k = 0;
		struct tmy_state st = { .generation = atoi(argv[2]) };

		return bpf_map_update_elem(pinned(argv[1], "tmy_state"), &k, &st, BPF_ANY) ? 1 : 0;
	}
	if (!strcmp(argv[0], "profile"))
		return cmd_profile(argc, argv);
	if (!strcmp(argv[0], "domain"))
		return cmd_domain(argc, argv);
	if (!strcmp(argv[0], "domain-get"))
		return cmd_domain_get(argc, argv);
	if (!strcmp(argv[0], "rule"))
		return cmd_rule(argc, argv, false);
	if (!strcmp(argv[0], "rule-get"))
		return cmd_rule(argc, argv, true);
	if (!strcmp(argv[0], "transition"))
		return cmd_transition(argc, argv);
	if (!strcmp(argv[0], "aggregator"))
		return cmd_aggregator(argc, argv);
	if (!strcmp(argv[0], "task"))
		return cmd_task(argc, argv);
	if (!strcmp(argv[0], "inet-rule"))
		return cmd_inet_rule(argc, argv, false);
	if (!strcmp(argv[0], "inet-rule-get"))
		return cmd_inet_rule(argc, argv, true);
	if (!strcmp(argv[0], "inet-range"))
		return cmd_inet_range(argc, argv);
	if (!strcmp(argv[0], "port-set"))
		return cmd_port_set(argc, argv);
	if (!strcmp(argv[0], "unix-rule"))
		return cmd_unix_rule(argc, argv, false);
	if (!strcmp(argv[0], "unix-rule-get"))
		return cmd_unix_rule(argc, argv, true);
	if (!strcmp(argv[0], "cap-rule"))
		return cmd_cap(argc, argv, false);
	if (!strcmp(argv[0], "cap-get"))
		return cmd_cap(argc, argv, true);
	if (!strcmp(argv[0], "signal-rule"))
		return cmd_signal(argc, argv, false);
	if (!strcmp(argv[0], "signal-get"))
		return cmd_signal(argc, argv, true);
	if (!strcmp(argv[0], "events"))
		return cmd_events(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats(argc, argv);
	die("unknown command %s (see the top of bpf/test/tmy_tool.c)", argv[0]);
	return 2;
}
