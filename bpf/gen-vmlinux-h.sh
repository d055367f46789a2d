#!/usr/bin/env bash
# Regenerates bpf/include/vmlinux.h from the BTF of Debian's stock 6.1 kernel (bookworm
# linux-image-amd64), not from the build host's kernel: the objects are CO-RE and relocate on
# any kernel with BTF, and one committed header keeps every build identical.
#   bpf/gen-vmlinux-h.sh            # newest bookworm 6.1 image
#   bpf/gen-vmlinux-h.sh linux-image-6.1.0-56-amd64
# Needs: apt-get, dpkg-deb, xz, bpftool, python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkg=${1:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}')}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download "$pkg" >/dev/null 2>&1
dpkg-deb -x ./*.deb x
vmlinuz=$(ls x/boot/vmlinuz-*)
# bzImage = setup code + compressed ELF; Debian compresses with xz. Find the payload and unpack it.
off=$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(d.find(b"\xfd7zXZ\x00"))' "$vmlinuz")
[ "$off" -ge 0 ] || { echo "no xz payload in $vmlinuz" >&2; exit 1; }
tail -c +$((off + 1)) "$vmlinuz" | xz -dc --single-stream > vmlinux 2>/dev/null || true
bpftool btf dump file vmlinux format c > "$here/include/vmlinux.h"
echo "wrote $here/include/vmlinux.h from $pkg ($(wc -l < "$here/include/vmlinux.h") lines)"
