// SPDX-License-Identifier: GPL-2.0
/*
 * Microbenchmark of the operations the LSM hooks sit on: open+close of a file (file_open) and
 * fork+exec+wait of a small program (task_alloc, bprm_check_security, bprm_committed_creds,
 * file_open of the binary). Prints one line per case: "NAME ns_per_op=N ops=N".
 * Run it with and without the programs attached, in the same boot (bench/run-in-vm.sh).
 *
 *   syscall_bench [--open N] [--exec N] [--stat N] [--path FILE] [--prog PROGRAM]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long bench_open(const char *path, long n)
{
	long long t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0) {
			perror(path);
			exit(2);
		}
		close(fd);
	}
	return now_ns() - t0;
}

static long long bench_stat(const char *path, long n)
{
	long long t0 = now_ns();
	struct stat st;

	for (long i = 0; i < n; i++) {
		if (stat(path, &st) < 0) {
			perror(path);
			exit(2);
		}
	}
	return now_ns() - t0;
}

static long long bench_exec(const char *prog, long n)
{
	long long t0 = now_ns();

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			perror("fork");
			exit(2);
		}
		if (pid == 0) {
			execl(prog, prog, (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "%s failed (status %d)\n", prog, status);
			exit(2);
		}
	}
	return now_ns() - t0;
}

int main(int argc, char **argv)
{
	long n_open = 200000, n_exec = 500, n_stat = 200000;
	const char *path = "/etc/hostname", *prog = "/bin/true";

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--open"))
			n_open = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--exec"))
			n_exec = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--stat"))
			n_stat = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--path"))
			path = argv[i + 1];
		else if (!strcmp(argv[i], "--prog"))
			prog = argv[i + 1];
		else {
			fprintf(stderr, "usage: %s [--open N] [--exec N] [--stat N] [--path FILE] [--prog PROGRAM]\n", argv[0]);
			return 2;
		}
	}
	/* Warm the caches the first iterations would otherwise pay for. */
	bench_open(path, n_open / 20 + 1);
	bench_exec(prog, n_exec / 20 + 1);
	bench_stat(path, n_stat / 20 + 1);
	printf("open_close ns_per_op=%lld ops=%ld\n", bench_open(path, n_open) / n_open, n_open);
	printf("stat ns_per_op=%lld ops=%ld\n", bench_stat(path, n_stat) / n_stat, n_stat);
	printf("fork_exec_wait ns_per_op=%lld ops=%ld\n", bench_exec(prog, n_exec) / n_exec, n_exec);
	return 0;
}
