#!/usr/bin/env bash
# Records test/fixtures/kernel/ipv6-judged/ from this machine, unedited: the raw `ip -j`
# listings of two throw-away namespaces (v1fx-a, v1fx-b) joined by a veth pair, holding the
# underlay and the cluster addresses of node-1 of test/modes/dual-stack-converged.test.ts and
# the foreign IPv6 objects a breaker found netplan-k blind to (issue 9 point 3). Run as root:
#   flock /tmp/nk-lab.lock scripts/record-ipv6-judged-fixtures.sh
# Nothing is added to the root namespace; both namespaces are deleted on exit, failed or not.
# An argument replaces the namespaces' prefix v1fx (a helper records under its own lab prefix).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/test/fixtures/kernel/ipv6-judged
prefix=${1:-v1fx}
a=$prefix-a b=$prefix-b
cleanup() { ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; }
trap cleanup EXIT
ip netns add $a && ip netns add $b
ip link add eth0 netns $a type veth peer name eth0 netns $b
ip -n $a link set lo up && ip -n $b link set lo up
ip -n $a link set eth0 up && ip -n $b link set eth0 up
ip -n $a addr add 192.0.2.11/24 dev eth0
ip -n $a addr add 2001:db8::11/64 dev eth0 nodad
# DAD: b takes a's address after a holds it, so b's copy fails DAD (a answers the probe).
ip -n $b addr add 2001:db8::11/64 dev eth0
ip -n $a route add 2001:db8::fe dev eth0
for _ in $(seq 50); do
  ip -n $b -j addr show dev eth0 | grep -q dadfailed && break
  sleep 0.1
done
# 1: foreign IPv6 routes inside the cluster's range: in main, and in table 100 a rule consults.
ip -n $a route add fd00:10:6:2::/80 dev eth0 metric 5
ip -n $a route add blackhole fd00:10:6:2::/64 table 100
# 2: IPv6 policy rules.
ip -n $a -6 rule add pref 100 to fd00:10:6:2::/64 prohibit
ip -n $a -6 rule add pref 110 to fd00:10:6::/56 goto 32767
ip -n $a -6 rule add pref 120 from fd00:10:6:1::/64 lookup 100
# 3: a route in table local (a workload's twin of 159db0e).
ip -n $a route add blackhole fd00:10:6:2::/64 table local
# 4: a peer workload's IPv6 address on lo.
ip -n $a addr add fd00:10:6:2::2/128 dev lo
# 7: a peer's IPv6 underlay address sent to a gateway, in table 50, which a rule consults.
ip -n $a route add 2001:db8::12/128 via 2001:db8::fe dev eth0 table 50
ip -n $a -6 rule add pref 130 lookup 50
# 8: a wrong MAC pinned for the peer.
ip -n $a -6 neigh replace 2001:db8::12 lladdr 02:00:00:00:00:99 dev eth0 nud permanent
# 11: host-gw's IPv6 route to node-2 with a second next hop (what ip -6 route append makes).
ip -n $a route add fd00:10:6:2::/64 proto 77 metric 1024 nexthop via 2001:db8::12 dev eth0 nexthop via 2001:db8::14 dev eth0
ip -n $a -j addr show > "$out/addr.json"
ip -n $b -j addr show > "$out/addr-dadfailed.json"
ip -n $a -j route show table all > "$out/route.json"
ip -n $a -j neigh show nud all > "$out/neigh.json"
ip -n $a -6 -j rule show > "$out/rule6.json"
# 10: disable_ipv6 on netplan-k's bridge: the kernel drops its IPv6 address and refuses a new
# one. sysctl-cni0-ipv6-disabled.txt is the observation's own nk_sysctls (from the built tree).
ip -n $a link add cni0 type bridge
ip -n $a link set cni0 up
ip -n $a addr add fd00:10:6:1::1/64 dev cni0 nodad
ip netns exec $a sysctl -qw net.ipv6.conf.cni0.disable_ipv6=1
functions=$(node --input-type=module -e "
  const { OBSERVATION } = await import('$repo/dist/observe/observation-script.js');
  process.stdout.write(OBSERVATION.functions);")
ip netns exec $a sh -c "$functions
nk_sysctls" > "$out/sysctl-cni0-ipv6-disabled.txt"
ip -n $a -j addr show dev cni0 > "$out/addr-cni0-ipv6-disabled.json"
ip -n $a addr add fd00:10:6:1::1/64 dev cni0 nodad 2> "$out/addr-add-ipv6-disabled.txt" || true
# 12: routed attach's IPv6 gateway pinned in a workload with a wrong MAC (eth0 as a workload's).
ip -n $a -6 neigh replace fe80::ecee:eeff:feee:eeee lladdr 02:00:00:00:00:01 dev eth0 nud permanent
ip -n $a -j neigh show nud all > "$out/neigh-routed-gateway-pinned.json"
# 13: disable_ipv6 on a workload's eth0: sysctl-workload-ipv6-disabled.txt is the observation's
# own nk_namespace_sysctls for the namespace, run from the root namespace as on a host.
ip netns exec $b sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
sh -c "$functions
nk_namespace_sysctls $b" > "$out/sysctl-workload-ipv6-disabled.txt"
