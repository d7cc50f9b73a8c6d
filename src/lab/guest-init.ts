/**
 * Stage 2 of a guest's boot, PID 1 after the initramfs (scripts/guest-kernel.sh) has mounted
 * this machine's root read-only over 9p, tmpfs on /run, /root, /tmp, /var/tmp and /etc/bird,
 * and the lab's state dir (read-write) at its own path. Written to the state dir by lab up and
 * run by the host's /bin/sh; its parameters are the kernel command line's `nk.*` words
 * (guestKernelArgs in guest.ts).
 *
 * - The NIC is found by its MAC, not by its name: virtio names it eth0, and the topology may
 *   want another name (host.interface).
 * - ip is /sbin/ip by path: a busybox shell would run its own applet (LAB-NOTES); dash does
 *   not, but the path costs nothing.
 * - PID 1 stays a shell waiting on `sleep`: each wait reaps whatever child ended, orphans of
 *   sshd sessions included.
 */
export const GUEST_INIT_SCRIPT = `#!/bin/sh
# netplan-k lab guest, stage 2 (src/lab/guest-init.ts)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
host= mac= iface=eth0 address= mtu=1500 routes= sshd_config= sshd_log=
for word in $(cat /proc/cmdline); do
  case $word in
    nk.host=*) host=\${word#*=} ;;
    nk.mac=*) mac=\${word#*=} ;;
    nk.if=*) iface=\${word#*=} ;;
    nk.addr=*) address=\${word#*=} ;;
    nk.mtu=*) mtu=\${word#*=} ;;
    nk.route=*) routes="$routes \${word#*=}" ;;
    nk.sshd_config=*) sshd_config=\${word#*=} ;;
    nk.sshd_log=*) sshd_log=\${word#*=} ;;
  esac
done
fail() { echo "netplan-k guest $host: $*"; echo o > /proc/sysrq-trigger; while :; do sleep 60; done; }
printf '%s' "$host" > /proc/sys/kernel/hostname
/sbin/ip link set dev lo up
nic=
for dev in /sys/class/net/*; do
  [ "$(cat "$dev/address")" = "$mac" ] && nic=\${dev##*/}
done
[ -n "$nic" ] || fail "no interface with MAC $mac"
[ "$nic" = "$iface" ] || /sbin/ip link set dev "$nic" name "$iface" || fail "rename $nic to $iface"
/sbin/ip link set dev "$iface" mtu "$mtu" up || fail "set $iface up"
/sbin/ip addr add "$address" dev "$iface" || fail "address $address"
for route in $routes; do
  /sbin/ip route add "\${route%@*}" via "\${route#*@}" dev "$iface" || fail "route $route"
done
/usr/sbin/sshd -f "$sshd_config" -E "$sshd_log" -o "ListenAddress=\${address%/*}" -o PidFile=/run/sshd.pid ||
  fail "sshd did not start (log: $sshd_log)"
echo "netplan-k guest $host: ready, $iface $address"
while :; do sleep 3600; done
`;
