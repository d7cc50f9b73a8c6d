#!/usr/bin/env bash
# Prepares what a lab guest boots (netplan-k lab, `lab.guests`): Debian's 6.1 kernel as an
# uncompressed vmlinux and a small initramfs. This machine's own kernel has no ipip driver, so
# ipip is proven on QEMU guests (docs: test/ipip/README.md).
#
# Everything is cached under $NETPLAN_K_GUEST_CACHE (default /var/cache/netplan-k/guest):
#   <kver>/linux-image-<kver>.deb, <kver>/vmlinux, <kver>/initramfs-<stamp>.cpio.gz
#   vmlinux, initramfs.cpio.gz  -> symlinks to the current ones (what the lab boots)
# A second run downloads nothing and builds nothing. The initramfs is rebuilt (the kernel is not
# downloaded again) when this script changes, since its init is written here.
#
# Needs: apt-get (download only), dpkg-deb, xz, gzip, busybox-static (also its cpio), iproute2.
set -euo pipefail

cache=${NETPLAN_K_GUEST_CACHE:-/var/cache/netplan-k/guest}
stamp=$(sha256sum "$0" | cut -c1-12)

current=$(readlink "$cache/initramfs.cpio.gz" 2>/dev/null || true)
if [ -e "$cache/vmlinux" ] && [ -e "$current" ] && [[ $current == *"-$stamp.cpio.gz" ]]; then
  exit 0
fi

mkdir -p "$cache"
# The kernel package: whichever the cache already holds, else the one linux-image-amd64 names.
deb=$(find "$cache" -mindepth 2 -maxdepth 2 -name 'linux-image-6.1.0-*-amd64_*.deb' | sort | tail -n 1)
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n 1
}
if [ -z "$deb" ]; then
  package=$(kernel_package)
  # A fresh machine may have no package lists at all.
  if [ -z "$package" ]; then
    apt-get update -qq >&2
    package=$(kernel_package)
  fi
  if [ -z "$package" ]; then
    echo "guest-kernel: apt knows no linux-image-6.1.0-*-amd64 (is Debian 12's main archive in the sources?)" >&2
    exit 1
  fi
  kver=${package#linux-image-}
  mkdir -p "$cache/$kver"
  echo "guest-kernel: downloading $package" >&2
  # apt's sandbox user cannot write the cache: download as root into it.
  (cd "$cache/$kver" && apt-get download -q "$package" -o APT::Sandbox::User=root >&2)
  deb=$(find "$cache/$kver" -maxdepth 1 -name "$package"'_*.deb' | head -n 1)
fi
kdir=$(dirname "$deb")
kver=$(basename "$kdir")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/pkg"
moddir="$work/pkg/lib/modules/$kver"

if [ ! -e "$kdir/vmlinux" ]; then
  # vmlinuz is a bzImage whose payload is one xz stream; the uncompressed ELF boots in half the
  # time under TCG (LAB-NOTES). xz stops at the end of the stream and ignores what follows.
  offset=$(grep -abo -m 1 $'\xfd7zXZ' "$work/pkg/boot/vmlinuz-$kver" | head -n 1 | cut -d: -f1)
  tail -c +"$((offset + 1))" "$work/pkg/boot/vmlinuz-$kver" | xz -dc --single-stream >"$work/vmlinux" 2>/dev/null || true
  if [ "$(head -c 4 "$work/vmlinux" | od -An -c | tr -d ' ')" != '177ELF' ]; then
    echo "guest-kernel: could not extract an ELF kernel from vmlinuz-$kver" >&2
    exit 1
  fi
  mv "$work/vmlinux" "$kdir/vmlinux"
fi

# Modules with their dependencies, dependencies first. The package ships no modules.dep (depmod
# writes it at install time), so dependencies come from each module's own modinfo section.
modules=(virtio virtio_ring virtio_mmio virtio_pci virtio_net 9pnet_virtio 9p ipip veth bridge vxlan)
declare -A path_of=() loaded=()
while IFS= read -r ko; do
  name=$(basename "$ko" .ko)
  path_of[${name//-/_}]=$ko
done < <(find "$moddir/kernel" -name '*.ko')
builtin=$(sed 's#.*/##; s#\.ko$##; s#-#_#g' "$moddir/modules.builtin")
order=()
add_module() {
  local name=${1//-/_} dep
  [ -n "${loaded[$name]:-}" ] && return 0
  loaded[$name]=1
  if grep -qx "$name" <<<"$builtin"; then return 0; fi
  if [ -z "${path_of[$name]:-}" ]; then
    echo "guest-kernel: module $name is not in $kver" >&2
    exit 1
  fi
  for dep in $(tr '\0' '\n' <"${path_of[$name]}" | sed -n 's/^depends=//p' | tr ',' ' '); do
    add_module "$dep"
  done
  order+=("$name")
}
for m in "${modules[@]}"; do add_module "$m"; done

root="$work/initramfs"
mkdir -p "$root"/{bin,sbin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount umount mkdir insmod switch_root sleep cat cp tr sed grep ls; do
  ln -s busybox "$root/bin/$applet"
done
for ko in "${order[@]}"; do cp "${path_of[$ko]}" "$root/modules/$ko.ko"; done
printf '%s\n' "${order[@]}" >"$root/modules/order"
# ip and bridge with their libraries, for a shell in the initramfs when a boot goes wrong.
for binary in /sbin/ip /sbin/bridge; do
  cp "$binary" "$root/sbin/"
  for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
done

# Stage 1, PID 1 in the initramfs: modules, the host's root over 9p read-only, writable tmpfs
# where a host writes, the lab's state dir (read-write) at its own path, then stage 2 in the new
# root. Parameters come from the kernel command line (nk.*, see src/lab/guest-boot.ts).
cat >"$root/init" <<'STAGE1'
#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() { echo "netplan-k guest: $*"; sleep 2; echo o >/proc/sysrq-trigger; sleep 10; }
for m in $(cat /modules/order); do insmod /modules/$m.ko || fail "insmod $m"; done
state=
for word in $(cat /proc/cmdline); do
  case $word in nk.state=*) state=${word#nk.state=} ;; esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /newroot || fail "mount hostroot"
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
for dir in /run /root /tmp /var/tmp; do mount -t tmpfs -o mode=0755 tmpfs /newroot$dir; done
chmod 1777 /newroot/tmp /newroot/var/tmp
if [ -d /newroot/etc/bird ]; then
  mkdir -p /bird && cp -a /newroot/etc/bird/. /bird/
  mount -t tmpfs -o mode=0755 tmpfs /newroot/etc/bird
  cp -a /bird/. /newroot/etc/bird/
fi
mkdir -p /newroot/run/netns /newroot/run/sshd /newroot/run/bird /newroot$state
mount -t 9p -o trans=virtio,version=9p2000.L labstate /newroot$state || fail "mount labstate"
exec switch_root /newroot /bin/sh "$state/guest-init.sh"
STAGE1
chmod +x "$root/init"

initramfs="$kdir/initramfs-$stamp.cpio.gz"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$initramfs.tmp")
mv "$initramfs.tmp" "$initramfs"
find "$kdir" -maxdepth 1 -name 'initramfs-*' ! -name "$(basename "$initramfs")" -delete
ln -sfn "$kdir/vmlinux" "$cache/vmlinux.tmp" && mv -T "$cache/vmlinux.tmp" "$cache/vmlinux"
ln -sfn "$initramfs" "$cache/initramfs.tmp" && mv -T "$cache/initramfs.tmp" "$cache/initramfs.cpio.gz"
echo "guest-kernel: $kver ready in $cache (${#order[@]} modules)" >&2
