#!/usr/bin/env bash
# Installs everything netplan-k's build and tests need on a fresh Debian/Ubuntu machine, as root:
# the Debian packages the tests drive for real, then the locked npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# iproute2: ip/bridge for fixtures and live tests; bird2: `bird -p` checks generated BIRD
# configurations; the rest serve the lab and end-to-end tests. qemu-system-x86 and
# busybox-static (plus xz-utils for the kernel image) run lab guests (`lab.guests`): ipip is
# tested on Debian's kernel under QEMU, since this machine's kernel may have no ipip driver.
# zsh and fish run the shell completion scripts; tmux is the terminal of the progress test;
# git and curl run the CI examples' commands (test/ci-examples). time (GNU time) counts the
# controller's CPU in bench:apply and its test (test/bench).
packages=(iproute2 bird2 iputils-ping openssh-server openssh-client util-linux procps
  qemu-system-x86 busybox-static xz-utils zsh fish tmux git curl time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts bird on install; netplan-k runs its own instances, so the system one stays off.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet bird 2>/dev/null; then
  systemctl stop bird || true
fi

# The guests' kernel and initramfs, cached in /var/cache/netplan-k/guest (a CI cache can keep that
# directory, keyed on scripts/guest-kernel.sh): a no-op when the cache already holds them.
scripts/guest-kernel.sh

npm ci --no-audit --no-fund
