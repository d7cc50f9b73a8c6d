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
# Then the host's own exceptions, as a breaker made them on a dual-stack vxlan lab: two hosts
# H1 and H2 laid out as test/fixtures/converged/dual-stack-vxlan-bridge's node-1 and node-2
# (underlay eth0 192.0.2.11-12/24, 2001:db8::11-12/64; flannel.1 and flannel-v6.1 with the
# fixture's MACs and addresses; cni0 with the block's first addresses), red behind H1's cni0
# and blue behind H2's. H2's cni0 is lowered to 1380, H1 sends DF pings of each family to
# blue too large for it (H2 answers, H1 learns mtu 1380 through its VTEPs), cni0 is put back:
#   host-stale.json   H1's listing: stale exceptions through flannel.1 and flannel-v6.1
# and the script checks what they do: red's full-size DF ping -6 to blue is answered by H1
# ("Packet too big: mtu=1380", IPv6 forwarding uses the host's exception), red's IPv4 one
# passes (IPv4 forwarding ignores it), and both pass once H1's cache is flushed.
# Run as root:
#   flock /tmp/nk-lab.lock scripts/record-route-cache-fixtures.sh
# Nothing is added to the root namespace; the namespaces are deleted on exit, failed or not.
# An argument replaces the namespaces' prefix rcfx (a helper records under its own lab prefix).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/test/fixtures/kernel/route-cache
prefix=${1:-rcfx}
w=$prefix-w r=$prefix-r p=$prefix-p
h1=$prefix-h1 h2=$prefix-h2 red=$prefix-red blue=$prefix-blue
cleanup() {
  for ns in $w $r $p $h1 $h2 $red $blue; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
# Waits until namespace $1 reaches 10.6.2.2 and fd00:10:6:2::2 (IPv6 waits for its neighbours).
await_blue() {
  for _ in $(seq 30); do
    ip netns exec "$1" ping -c1 -W1 10.6.2.2 >/dev/null 2>&1 &&
      ip netns exec "$1" ping -6 -c1 -W1 fd00:10:6:2::2 >/dev/null 2>&1 && return
    sleep 0.2
  done
}
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
# Both families reach P before anything is lowered.
await_blue $w
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

# The host's own exceptions. fails: runs a command that must fail (`! cmd` does not stop
# `set -e`), and prints its output.
fails() { if "$@"; then echo "unexpected success: $*" >&2 && exit 1; fi; }
for ns in $h1 $h2 $red $blue; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
ip link add eth0 netns $h1 type veth peer name eth0 netns $h2
vtep() { # host index, v4 MAC, v6 MAC
  local h=$prefix-h$1
  ip -n $h addr add 192.0.2.1$1/24 dev eth0 && ip -n $h addr add 2001:db8::1$1/64 dev eth0 nodad
  ip -n $h link set eth0 up
  ip -n $h link add flannel.1 address "$2" mtu 1450 type vxlan id 1 local 192.0.2.1$1 dev eth0 \
    dstport 8472 nolearning
  ip -n $h link add flannel-v6.1 address "$3" mtu 1430 type vxlan id 1 local 2001:db8::1$1 \
    dev eth0 dstport 8472 nolearning
  ip -n $h addr add 10.6.$1.0/32 dev flannel.1
  ip -n $h addr add fd00:10:6:$1::/128 dev flannel-v6.1 nodad
  ip -n $h link set flannel.1 up && ip -n $h link set flannel-v6.1 up
  ip -n $h link add cni0 mtu 1430 type bridge stp_state 0 forward_delay 0
  ip -n $h addr add 10.6.$1.1/24 dev cni0 && ip -n $h addr add fd00:10:6:$1::1/64 dev cni0 nodad
  ip netns exec $h sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}
peer() { # host index, peer index, peer's v4 MAC, peer's v6 MAC
  local h=$prefix-h$1
  ip -n $h route add 10.6.$2.0/24 via 10.6.$2.0 dev flannel.1 onlink
  ip -n $h neigh add 10.6.$2.0 lladdr "$3" dev flannel.1 nud permanent
  bridge -n $h fdb append "$3" dev flannel.1 dst 192.0.2.1$2 self permanent
  ip -n $h -6 route add fd00:10:6:$2::/64 via fd00:10:6:$2:: dev flannel-v6.1 onlink
  ip -n $h -6 neigh add fd00:10:6:$2:: lladdr "$4" dev flannel-v6.1 nud permanent
  bridge -n $h fdb append "$4" dev flannel-v6.1 dst 2001:db8::1$2 self permanent
}
workload() { # host index, workload namespace, last address word
  local h=$prefix-h$1
  ip link add "${2}h" mtu 1430 netns $h type veth peer name eth0 mtu 1430 netns "$2"
  ip -n $h link set "${2}h" master cni0 up
  ip -n "$2" addr add 10.6.$1.$3/24 dev eth0 && ip -n "$2" addr add fd00:10:6:$1::$3/64 dev eth0 nodad
  ip -n "$2" link set eth0 up
  ip -n "$2" route add default via 10.6.$1.1 && ip -n "$2" -6 route add default via fd00:10:6:$1::1
  ip -n $h link set cni0 up
}
vtep 1 1a:e3:34:88:79:bb 86:62:d2:18:d3:53
vtep 2 02:d2:ad:2d:e5:59 82:84:eb:17:8e:26
peer 1 2 02:d2:ad:2d:e5:59 82:84:eb:17:8e:26
peer 2 1 1a:e3:34:88:79:bb 86:62:d2:18:d3:53
workload 1 $red 2
workload 2 $blue 2
await_blue $red
ip -n $h2 link set cni0 mtu 1380
# H1's own full-size DF pings (1450 and 1430 bytes on its VTEPs); two each, as above.
fails ip netns exec $h1 ping -M do -s 1422 -c2 -i0.2 -W1 10.6.2.2
fails ip netns exec $h1 ping -6 -M do -s 1382 -c2 -i0.2 -W1 fd00:10:6:2::2
ip -n $h2 link set cni0 mtu 1430
ip -n $h1 -j route show table all cache >"$out/host-stale.json"
# red's full size (1430): IPv6 refused by H1 itself, IPv4 forwarded.
fails ip netns exec $red ping -6 -M do -s 1382 -c1 -W1 fd00:10:6:2::2
ip netns exec $red ping -M do -s 1402 -c1 -W1 10.6.2.2
echo 'route flush table all cache' | ip -n $h1 -batch -
ip -n $red route flush table all cache
ip netns exec $red ping -6 -M do -s 1382 -c1 -W1 fd00:10:6:2::2
# H1's own, at what the path to blue carries (1430, blue's cni0; flannel.1's 1450 does not
# reach blue: a 1450-byte IPv4 DF ping learns a real mtu 1430).
ip netns exec $h1 ping -M do -s 1402 -c1 -W1 10.6.2.2
ip netns exec $h1 ping -6 -M do -s 1382 -c1 -W1 fd00:10:6:2::2
echo "recorded $out"
