// SPDX-License-Identifier: GPL-2.0
/*
 * tmy_tool: a small libbpf test driver for the kernel side, used by the scripts in bpf/test/ before (and
 * independently of) the Java loader. Not shipped.
 *
 * Names and ids are computed by running test/hash.bpf.o (the LSM programs' own hashing code) with
 * BPF_PROG_TEST_RUN, so this tool has no hash implementation of its own.
 *
 *   tmy_tool selftest VECTORS.tsv      hash.bpf.o against the shared vectors + rule lookups
 *   tmy_tool hash NAME                 path hash of one TOMOYO-encoded name
 *   tmy_tool id DOMAIN                 domain id of a TOMOYO domain name
 *   tmy_tool load OBJ DIR              load + attach OBJ, pin maps in DIR/ and links in DIR/links/
 *   tmy_tool gen DIR N                 tmy_state.generation = N
 *   tmy_tool profile DIR N MODE [grant_log] [reject_log] [max=K]   file mode of profile N
 *   tmy_tool domain DIR DOMAIN PROFILE [depths=0x..]               tmy_domains entry
 *   tmy_tool domain-get DIR DOMAIN     print profile flags learned (exit 1 if absent)
 *   tmy_tool rule DIR DOMAIN PATH PERMS [subtree]                  add rule (perms: r,w,a,x)
 *   tmy_tool rule-get DIR DOMAIN PATH [subtree]   print perms/learned (exit 1 if absent)
 *   tmy_tool transition DIR TYPE PROGRAM|any [domain DOMAIN|last NAME]
 *   tmy_tool aggregator DIR PROGRAM AGGREGATED
 *   tmy_tool task DIR PID              print the task's domain id (or "<kernel>" if no storage)
 *   tmy_tool events DIR [MS]           print ring-buffer events until MS ms pass without one
 *   tmy_tool stats DIR                 print the per-CPU counters summed
 *
 * The hash object is found at $TMY_HASH_OBJ, else next to this binary (hash.bpf.o).
 * With TMY_VERIFIER_STATS=1, `load` prints each program's verifier statistics.
 */
#define _GNU_SOURCE
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

#include "tomoyo_abi.h"
#include "hash_test.h"

static const char *argv0;

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
		default: die("perms: use r, w, a, x");
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
}

static int cmd_load(const char *objpath, const char *dir)
{
	struct bpf_object *obj = bpf_object__open_file(objpath, NULL);
	struct bpf_program *prog;
	struct bpf_map *map;
	char p[PATH_MAX];
	bool stats = getenv("TMY_VERIFIER_STATS") != NULL;
	static char logs[16][4096];
	int i = 0;

	if (!obj)
		die("open %s: %s", objpath, strerror(errno));
	if (stats) {
		bpf_object__for_each_program(prog, obj) {
			if (i < 16) {
				bpf_program__set_log_buf(prog, logs[i], sizeof(logs[i]));
				bpf_program__set_log_level(prog, 4);
			}
			i++;
		}
	}
	if (bpf_object__load(obj))
		die("load %s: %s", objpath, strerror(errno));
	if (stats) {
		i = 0;
		bpf_object__for_each_program(prog, obj) {
			if (i < 16) {
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
		struct bpf_link *l = bpf_program__attach(prog);

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
		if (!strcmp(argv[i], "grant_log"))
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

	if (argc < 4)
		die("domain DIR DOMAIN PROFILE [depths=0x..]");
	k.domain = domain_id(argv[2]);
	k.generation = current_gen(argv[1]);
	v.profile = atoi(argv[3]);
	if (argc > 4 && !strncmp(argv[4], "depths=", 7))
		v.subtree_depths = strtoul(argv[4] + 7, NULL, 0);
	if (bpf_map_update_elem(pinned(argv[1], "tmy_domains"), &k, &v, BPF_ANY))
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
	printf("profile=%u flags=%#x learned=%u depths=%#x\n", v.profile, v.flags, v.learned,
	       v.subtree_depths);
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
		"domains_full", "rules_full", "scratch_busy", "transition_failed",
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
	if (!strcmp(argv[0], "events"))
		return cmd_events(argc, argv);
	if (!strcmp(argv[0], "stats"))
		return cmd_stats(argc, argv);
	die("unknown command %s (see the top of bpf/test/tmy_tool.c)", argv[0]);
	return 2;
}
