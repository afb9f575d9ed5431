#!/bin/sh
# Install everything cgn needs to build and test on Debian 12 (idempotent).
set -eu

[ "$(id -u)" = 0 ] || { echo "install-deps: run as root" >&2; exit 1; }

pkgs="build-essential pkg-config kmod cpio sparse
	linux-image-amd64 linux-headers-amd64
	qemu-system-x86 busybox-static
	libnl-3-dev libnl-genl-3-dev libsodium-dev libssl-dev
	bats iproute2 nftables conntrack conntrackd keepalived tcpdump python3 python3-scapy socat netcat-openbsd
	clang libclang-rt-14-dev linux-source-6.1 xz-utils"

bp=/etc/apt/sources.list.d/cgn-backports.list
if [ ! -f "$bp" ]; then
	echo "deb http://deb.debian.org/debian bookworm-backports main" >"$bp"
	rm -f /var/lib/apt/periodic/cgn-updated
fi

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
bphdr=$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | head -n1 || true)

if [ -n "$missing" ] || [ -z "$bphdr" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086
	[ -z "$missing" ] || apt-get install -y -q --no-install-recommends $missing
	if [ -z "$bphdr" ]; then
		# 6.12 headers from backports: the module must also build there.
		v=$(apt-cache -t bookworm-backports depends linux-headers-amd64 2>/dev/null |
			sed -n 's/.*Depends: \(linux-headers-6\.[0-9.+~a-z-]*-amd64\).*/\1/p' | head -n1)
		if [ -n "$v" ]; then
			apt-get install -y -q --no-install-recommends -t bookworm-backports "$v" ||
				echo "install-deps: backports headers $v not installed" >&2
		fi
	fi
fi
# checkpatch.pl comes with the kernel source tarball: unpack just it.
cp=/usr/local/share/cgn/checkpatch/scripts/checkpatch.pl
if [ ! -x "$cp" ]; then
	t=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n1)
	mkdir -p /usr/local/share/cgn/checkpatch
	tar -xf "$t" -C /usr/local/share/cgn/checkpatch --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
echo "install-deps: done"
