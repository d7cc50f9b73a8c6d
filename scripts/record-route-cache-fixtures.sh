#!/usr/bin/env bash
# Records test/fixtures/kernel/route-cache/ from this machine, unedited: the raw
# `ip -j route show table all cache` of a workload namespace holding stale path-MTU exceptions
# of both families, made the way a breaker made them on a lab. Three throw-away namespaces:
# a workload W with red's addresses in test/modes/dual-stack-topology.ts (10.6.1.2/24,
# fd00:10:6:1::2/64; eth0 at 1430, a dual-stack vxlan workload's MTU) behind a router R (the
# host), a peer P with blue's (10.6.2.2/24, fd00:10:6:2::2/64) on R's other leg, every link
# at 1430. R's leg toward P is lowered to MTU 1400,
# W sends one don't-fragment ping of each family too large for it (R answers "fragmentation
# needed" / "packet too big", W learns mtu 1400), the leg is put back to 1430:
#   stale.json        the exceptions left in W (full-size DF pings from W fail until they go)
#   after-flush.json  W's listing after `route flush table all cache` and a full-size DF ping
#                     of each family (both pass): IPv4 keeps an entry without mtu
# Run as root:
#   flock /tmp/nk-lab.lock scripts/record-route-cache-fixtures.sh
# Nothing is added to the root namespace; the namespaces are deleted on exit, failed or not.
# An argument replaces the namespaces' prefix rcfx (a helper records under its own lab prefix).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/test/fixtures/kernel/route-cache
prefix=${1:-rcfx}
w=$prefix-w r=$prefix-r p=$prefix-p
cleanup() { for ns in $w $r $p; do ip netns del "$ns" 2>/dev/null || true; done; }
trap cleanup EXIT
for ns in $w $r $p; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
ip link add rw netns $r type veth peer name eth0 netns $w
ip link add rp netns $r type veth peer name eth0 netns $p
ip -n $w addr add 10.6.1.2/24 dev eth0 && ip -n $w addr add fd00:10:6:1::2/64 dev eth0 nodad
ip -n $p addr add 10.6.2.2/24 dev eth0 && ip -n $p addr add fd00:10:6:2::2/64 dev eth0 nodad
ip -n $r addr add 10.6.1.1/24 dev rw && ip -n $r addr add fd00:10:6:1::1/64 dev rw nodad
ip -n $r addr add 10.6.2.1/24 dev rp && ip -n $r addr add fd00:10:6:2::1/64 dev rp nodad
ip -n $w link set eth0 mtu 1430 up && ip -n $p link set eth0 mtu 1430 up
ip -n $r link set rw mtu 1430 up && ip -n $r link set rp mtu 1430 up
ip netns exec $r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip -n $w route add default via 10.6.1.1 && ip -n $w -6 route add default via fd00:10:6:1::1
ip -n $p route add default via 10.6.2.1 && ip -n $p -6 route add default via fd00:10:6:2::1
# Both families reach P before anything is lowered (IPv6 waits for its neighbours).
for _ in $(seq 30); do
  ip netns exec $w ping -c1 -W1 10.6.2.2 >/dev/null 2>&1 &&
    ip netns exec $w ping -6 -c1 -W1 fd00:10:6:2::2 >/dev/null 2>&1 && break
  sleep 0.2
done
ip -n $r link set rp mtu 1400
# Two pings each: the first is answered "fragmentation needed" / "packet too big"; the second
# uses the new exception, and only then does the kernel list an IPv4 one (measured: learnt by
# one ping alone, `route show table all cache` listed nothing until `ip route get` used it).
! ip netns exec $w ping -M do -s 1402 -c2 -i0.2 -W1 10.6.2.2 >/dev/null 2>&1
! ip netns exec $w ping -6 -M do -s 1382 -c2 -i0.2 -W1 fd00:10:6:2::2 >/dev/null 2>&1
ip -n $r link set rp mtu 1430
mkdir -p "$out"
ip -n $w -j route show table all cache >"$out/stale.json"
# Still failing with the path back at 1430: the exceptions are stale.
! ip netns exec $w ping -M do -s 1402 -c2 -i0.2 -W1 10.6.2.2 >/dev/null 2>&1
! ip netns exec $w ping -6 -M do -s 1382 -c2 -i0.2 -W1 fd00:10:6:2::2 >/dev/null 2>&1
echo 'route flush table all cache' | ip -n $w -batch -
ip netns exec $w ping -M do -s 1402 -c1 -W1 10.6.2.2 >/dev/null
ip netns exec $w ping -6 -M do -s 1382 -c1 -W1 fd00:10:6:2::2 >/dev/null
ip -n $w -j route show table all cache >"$out/after-flush.json"
echo "recorded $out"
