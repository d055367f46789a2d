#!/usr/bin/env bash
# Installs what building and testing tomoyoctl needs on Debian 12 (bookworm), as root.
# One script for every place that sets a machine up: the README's two commands, .ci/run and
# the Vagrantfile (which runs it inside its box).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "provision.sh: run as root" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive

packages=(
	# BPF toolchain (bpf/Makefile): clang, llvm-strip, bpftool, libbpf headers; libbpf1 at run time
	clang llvm libbpf-dev libbpf1 bpftool libelf-dev zlib1g-dev make gcc libc6-dev
	# Java build
	openjdk-17-jdk-headless maven
	# The QEMU runner (vagrant/vmtest): kernel download/unpack, initramfs, emulator
	qemu-system-x86 busybox-static cpio xz-utils kmod debian-archive-keyring
	# The kernel's own TOMOYO as a peer in comparisons (vmtest --with-tomoyo)
	tomoyo-tools
	# Used by the tests inside the guest
	iproute2 procps
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "provision.sh: installing ${missing[*]}" >&2
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# bpftool lives in /usr/sbin; make sure non-login shells find it.
command -v bpftool >/dev/null || export PATH=$PATH:/usr/sbin:/sbin
echo "provision.sh: ready ($(clang --version | head -1); $(java -version 2>&1 | head -1); $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'))" >&2
