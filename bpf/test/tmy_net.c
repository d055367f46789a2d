// SPDX-License-Identifier: GPL-2.0
/*
 * tmy_net: the network/signal workload of the VM tests (bpf/test/vm-smoke.sh and the cli's
 * NetworkCapabilitySignalVmIT). Loopback only. Each command does one thing and prints exactly
 * one line: "OK" (exit 0) or "ERR NAME" with the errno's symbolic name (exit 1); usage errors
 * exit 2. A refused or reset connection means the LSM let it through: only EPERM/EACCES from
 * a hook mean denied.
 *
 *   tmy_net tcp-connect ADDR PORT      (IPv4 or IPv6 by the address' syntax)
 *   tmy_net udp-connect ADDR PORT      (connect() only, sends nothing)
 *   tmy_net udp-send ADDR PORT         (sendto() one byte on an unconnected socket)
 *   tmy_net tcp-bind ADDR PORT         (bind only)
 *   tmy_net tcp-listen ADDR PORT       (bind then listen)
 *   tmy_net udp-bind ADDR PORT
 *   tmy_net unix-stream-connect PATH   (PATH starting with '@' = abstract, '@' becomes NUL)
 *   tmy_net unix-dgram-connect PATH
 *   tmy_net unix-dgram-send PATH
 *   tmy_net unix-stream-listen PATH    (bind + listen)
 *   tmy_net tcp-fastopen ADDR PORT     (sendto with MSG_FASTOPEN)
 *   tmy_net connect-addrlen LEN        (AF_INET TCP socket, connect to 127.0.0.1:9 with addrlen LEN)
 *   tmy_net kill PID SIG
 *   tmy_net unlink PATH | rmdir PATH | getattr PATH (stat) | truncate PATH (truncate(2) to 0)
 *   tmy_net ftruncate PATH             (open O_WRONLY, then ftruncate: a "file write" first)
 *   tmy_net otrunc PATH                (open O_WRONLY|O_TRUNC)
 *   tmy_net symlink TARGET LINK | chroot DIR | umount DIR
 *       the single-path file operations (issue 5), one syscall each after the startup
 *   tmy_net create PATH MODE | mkdir PATH MODE | mkfifo PATH MODE | mksock PATH MODE
 *   tmy_net mkchar PATH MODE MAJOR MINOR | mkblock PATH MODE MAJOR MINOR
 *   tmy_net ocreat PATH MODE           (open O_WRONLY|O_CREAT|O_EXCL)
 *   tmy_net chmod PATH MODE | chown PATH UID GID (-1 = unchanged) | ioctl PATH CMD
 *   tmy_net ioctl-stdin CMD            (ioctl on descriptor 0 as inherited)
 *   tmy_net link OLD NEW | rename OLD NEW | exchange A B (renameat2 RENAME_EXCHANGE)
 *   tmy_net pivot_root NEW_ROOT PUT_OLD (in a new mount namespace)
 *   tmy_net mount DEV DIR TYPE FLAGS   (mount(2) as given; "-" for a NULL DEV or TYPE; FLAGS
 *                                       strtoul base 0: 0x1000 is MS_BIND)
 *       the operations with a number or a second path (issue 5); MODE, CMD: strtoul base 0
 *       (0644, 0x5401); umask is 0 for all of them, so the mode judged is the mode given
 *   tmy_net serve SECONDS              (listeners on loopback: TCP 127.0.0.1 and ::1 ports
 *                                       7001-7005, UDP 7001, unix stream /tmp/tmy-s.sock and
 *                                       @tmy-abs, unix dgram /tmp/tmy-d.sock; accepts/reads and
 *                                       discards for SECONDS, then exits)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

static const char *errno_name(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNRESET: return "ECONNRESET";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case ENETUNREACH: return "ENETUNREACH";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINPROGRESS: return "EINPROGRESS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTCONN: return "ENOTCONN";
	case EDESTADDRREQ: return "EDESTADDRREQ";
	case EISCONN: return "EISCONN";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case ENOTSOCK: return "ENOTSOCK";
	case EPROTOTYPE: return "EPROTOTYPE";
	case ENOTDIR: return "ENOTDIR";
	case ENOTTY: return "ENOTTY";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EEXIST: return "EEXIST";
	case EISDIR: return "EISDIR";
	case EBUSY: return "EBUSY";
	default: return NULL;
	}
}

static int result(int rc)
{
	if (rc >= 0) {
		printf("OK\n");
		return 0;
	}
	{
		int e = errno;
		const char *n = errno_name(e);

		if (n)
			printf("ERR %s\n", n);
		else
			printf("ERR E%d\n", e);
	}
	return 1;
}

static void usage(const char *why)
{
	fprintf(stderr, "tmy_net: %s (see the top of bpf/test/tmy_net.c)\n", why);
	exit(2);
}

static int parse_port(const char *s)
{
	char *end;
	long p = strtol(s, &end, 10);

	if (*s == 0 || *end || p < 0 || p > 65535)
		usage("PORT must be 0..65535");
	return (int)p;
}

/* IPv4 or IPv6 by the address' syntax. */
static socklen_t inet_addr_of(const char *a, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	int p = parse_port(port);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		return sizeof(*s6);
	}
	usage("ADDR is neither IPv4 nor IPv6");
	return 0;
}

static socklen_t unix_addr_of(const char *path, struct sockaddr_un *su)
{
	size_t n = strlen(path);

	memset(su, 0, sizeof(*su));
	su->sun_family = AF_UNIX;
	if (n == 0 || n >= sizeof(su->sun_path))
		usage("PATH must be 1..107 bytes");
	memcpy(su->sun_path, path, n);
	if (path[0] == '@') {
		su->sun_path[0] = 0; /* abstract: exactly these bytes, no terminating NUL */
		return offsetof(struct sockaddr_un, sun_path) + n;
	}
	return offsetof(struct sockaddr_un, sun_path) + n + 1;
}

static int inet_cmd(const char *cmd, const char *a, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = inet_addr_of(a, port, &ss);
	int stream = !strncmp(cmd, "tcp-", 4);
	int fd = socket(ss.ss_family, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
	int one = 1;

	if (fd < 0)
		return result(-1);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (!strcmp(cmd, "tcp-connect") || !strcmp(cmd, "udp-connect"))
		return result(connect(fd, (struct sockaddr *)&ss, len));
	if (!strcmp(cmd, "udp-send"))
		return result(sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, len));
	if (!strcmp(cmd, "tcp-bind") || !strcmp(cmd, "udp-bind"))
		return result(bind(fd, (struct sockaddr *)&ss, len));
	if (!strcmp(cmd, "tcp-listen")) {
		if (bind(fd, (struct sockaddr *)&ss, len))
			return result(-1);
		return result(listen(fd, 4));
	}
	if (!strcmp(cmd, "tcp-fastopen"))
		return result(sendto(fd, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&ss, len));
	usage("unknown command");
	return 2;
}

static int unix_cmd(const char *cmd, const char *path)
{
	struct sockaddr_un su;
	socklen_t len = unix_addr_of(path, &su);
	int stream = !strncmp(cmd, "unix-stream-", 12);
	int fd = socket(AF_UNIX, stream ? SOCK_STREAM : SOCK_DGRAM, 0);

	if (fd < 0)
		return result(-1);
	if (!strcmp(cmd, "unix-stream-connect") || !strcmp(cmd, "unix-dgram-connect"))
		return result(connect(fd, (struct sockaddr *)&su, len));
	if (!strcmp(cmd, "unix-dgram-send"))
		return result(sendto(fd, "x", 1, 0, (struct sockaddr *)&su, len));
	if (!strcmp(cmd, "unix-stream-listen")) {
		if (path[0] != '@')
			unlink(path);
		if (bind(fd, (struct sockaddr *)&su, len))
			return result(-1);
		return result(listen(fd, 4));
	}
	usage("unknown command");
	return 2;
}

/* AF_INET TCP socket, connect to 127.0.0.1:9 with the given addrlen (0..128). */
static int connect_addrlen(const char *s)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	char *end;
	long len = strtol(s, &end, 10);
	int fd;

	if (*s == 0 || *end || len < 0 || len > (long)sizeof(ss))
		usage("LEN must be 0..128");
	memset(&ss, 0, sizeof(ss));
	s4->sin_family = AF_INET;
	s4->sin_port = htons(9);
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return result(-1);
	return result(connect(fd, (struct sockaddr *)&ss, (socklen_t)len));
}

/* ---- serve ------------------------------------------------------------------------------- */
#define MAXFD 64
static struct pollfd pfd[MAXFD];
static int listening[MAXFD];
static int npfd;

static void add_fd(int fd, int is_listener)
{
	if (fd < 0 || npfd >= MAXFD)
		return;
	pfd[npfd].fd = fd;
	pfd[npfd].events = POLLIN;
	listening[npfd] = is_listener;
	npfd++;
}

static int serve_inet(int family, int type, const char *a, int port)
{
	struct sockaddr_storage ss;
	char p[8];
	socklen_t len;
	int one = 1, fd;

	snprintf(p, sizeof(p), "%d", port);
	len = inet_addr_of(a, p, &ss);
	fd = socket(family, type, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (type == SOCK_STREAM) {
		int q = 16;

		setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &q, sizeof(q));
	}
	if (bind(fd, (struct sockaddr *)&ss, len) || (type == SOCK_STREAM && listen(fd, 16))) {
		fprintf(stderr, "tmy_net serve: %s %d: %s\n", a, port, strerror(errno));
		close(fd);
		return -1;
	}
	add_fd(fd, type == SOCK_STREAM);
	return 0;
}

static int serve_unix(int type, const char *path)
{
	struct sockaddr_un su;
	socklen_t len = unix_addr_of(path, &su);
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0)
		return -1;
	if (path[0] != '@')
		unlink(path);
	if (bind(fd, (struct sockaddr *)&su, len) || (type == SOCK_STREAM && listen(fd, 16))) {
		fprintf(stderr, "tmy_net serve: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (path[0] != '@')
		chmod(path, 0777);
	add_fd(fd, type == SOCK_STREAM);
	return 0;
}

static int serve(const char *secs)
{
	int errors = 0;
	time_t end = time(NULL) + atoi(secs);
	char buf[512];

	signal(SIGPIPE, SIG_IGN);
	for (int port = 7001; port <= 7005; port++) {
		errors += serve_inet(AF_INET, SOCK_STREAM, "127.0.0.1", port) < 0;
		errors += serve_inet(AF_INET6, SOCK_STREAM, "::1", port) < 0;
	}
	errors += serve_inet(AF_INET, SOCK_DGRAM, "127.0.0.1", 7001) < 0;
	errors += serve_unix(SOCK_STREAM, "/tmp/tmy-s.sock") < 0;
	errors += serve_unix(SOCK_STREAM, "@tmy-abs") < 0;
	errors += serve_unix(SOCK_DGRAM, "/tmp/tmy-d.sock") < 0;
	printf(errors ? "ERR EADDRINUSE\n" : "OK\n");
	fflush(stdout);
	if (errors)
		return 1;
	while (time(NULL) < end) {
		int n = poll(pfd, npfd, 200);

		for (int i = 0; n > 0 && i < npfd; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (listening[i]) {
				int c = accept(pfd[i].fd, NULL, NULL);

				add_fd(c, 0);
				if (c >= 0 && npfd >= MAXFD)
					close(c);
			} else if (read(pfd[i].fd, buf, sizeof(buf)) <= 0 && pfd[i].fd >= 0) {
				/* a closed connection (datagram sockets never return 0 here) */
				close(pfd[i].fd);
				pfd[i] = pfd[--npfd];
				listening[i] = listening[npfd];
				i--;
			}
		}
	}
	return 0;
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end)
		usage("bad number");
	return v;
}

int main(int argc, char **argv)
{
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage("no command");
	cmd = argv[1];
	if (!strcmp(cmd, "serve") && argc == 3)
		return serve(argv[2]);
	if (!strcmp(cmd, "kill") && argc == 4)
		return result(kill(atoi(argv[2]), atoi(argv[3])));
	if (argc == 3 && !strcmp(cmd, "unlink"))
		return result(unlink(argv[2]));
	if (argc == 3 && !strcmp(cmd, "rmdir"))
		return result(rmdir(argv[2]));
	if (argc == 3 && !strcmp(cmd, "getattr")) {
		struct stat st;

		return result(stat(argv[2], &st));
	}
	if (argc == 3 && !strcmp(cmd, "truncate"))
		return result(truncate(argv[2], 0));
	if (argc == 3 && !strcmp(cmd, "ftruncate")) {
		int fd = open(argv[2], O_WRONLY);

		return result(fd < 0 ? fd : ftruncate(fd, 0));
	}
	if (argc == 3 && !strcmp(cmd, "otrunc"))
		return result(open(argv[2], O_WRONLY | O_TRUNC));
	if (argc == 4 && !strcmp(cmd, "symlink"))
		return result(symlink(argv[2], argv[3]));
	if (argc == 3 && !strcmp(cmd, "chroot"))
		return result(chroot(argv[2]));
	if (argc == 3 && !strcmp(cmd, "umount"))
		return result(umount2(argv[2], 0));
	umask(0);
	if (argc == 4 && !strcmp(cmd, "create"))
		return result(mknod(argv[2], S_IFREG | num(argv[3]), 0));
	if (argc == 4 && !strcmp(cmd, "ocreat"))
		return result(open(argv[2], O_WRONLY | O_CREAT | O_EXCL, (mode_t)num(argv[3])));
	if (argc == 4 && !strcmp(cmd, "mkdir"))
		return result(mkdir(argv[2], num(argv[3])));
	if (argc == 4 && !strcmp(cmd, "mkfifo"))
		return result(mknod(argv[2], S_IFIFO | num(argv[3]), 0));
	if (argc == 4 && !strcmp(cmd, "mksock"))
		return result(mknod(argv[2], S_IFSOCK | num(argv[3]), 0));
	if (argc == 6 && (!strcmp(cmd, "mkchar") || !strcmp(cmd, "mkblock")))
		return result(mknod(argv[2], (cmd[2] == 'c' ? S_IFCHR : S_IFBLK) | num(argv[3]),
				    makedev(num(argv[4]), num(argv[5]))));
	if (argc == 4 && !strcmp(cmd, "chmod"))
		return result(chmod(argv[2], num(argv[3])));
	if (argc == 5 && !strcmp(cmd, "chown"))
		return result(chown(argv[2], (uid_t)atol(argv[3]), (gid_t)atol(argv[4])));
	if (argc == 4 && !strcmp(cmd, "ioctl")) {
		int fd = open(argv[2], O_RDONLY | O_NONBLOCK | O_NOCTTY);
		int v = 0;

		/* ENOTTY etc. mean the LSM let it through: only EPERM is a denial */
		return result(fd < 0 ? fd : ioctl(fd, num(argv[3]), &v));
	}
	if (argc == 3 && !strcmp(cmd, "ioctl-stdin")) {
		int v = 0;

		return result(ioctl(0, num(argv[2]), &v));
	}
	if (argc == 4 && !strcmp(cmd, "link"))
		return result(link(argv[2], argv[3]));
	if (argc == 4 && !strcmp(cmd, "rename"))
		return result(rename(argv[2], argv[3]));
	if (argc == 4 && !strcmp(cmd, "exchange"))
		return result(renameat2(AT_FDCWD, argv[2], AT_FDCWD, argv[3], RENAME_EXCHANGE));
	if (argc == 4 && !strcmp(cmd, "pivot_root")) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			return result(-1);
		return result(syscall(SYS_pivot_root, argv[2], argv[3]));
	}
	if (argc == 6 && !strcmp(cmd, "mount"))
		return result(mount(strcmp(argv[2], "-") ? argv[2] : NULL, argv[3],
				    strcmp(argv[4], "-") ? argv[4] : NULL, num(argv[5]), NULL));
	if (!strcmp(cmd, "connect-addrlen") && argc == 3)
		return connect_addrlen(argv[2]);
	if (!strncmp(cmd, "unix-", 5) && argc == 3)
		return unix_cmd(cmd, argv[2]);
	if ((!strncmp(cmd, "tcp-", 4) || !strncmp(cmd, "udp-", 4)) && argc == 4)
		return inet_cmd(cmd, argv[2], argv[3]);
	usage("unknown command or wrong argument count");
	return 2;
}
