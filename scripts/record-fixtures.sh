#!/usr/bin/env bash
# Records the kernel fixtures under test/fixtures/ from this machine's kernel, unedited.
#
# Recorded on Debian 12, kernel 6.18.44 (no ipip driver), iproute2 6.1.0. Re-record (as root)
# with:  scripts/record-fixtures.sh   then check the diff: tests compare exact objects.
#
# - test/fixtures/kernel/assorted/: one namespace holding many kinds of objects; the raw output
#   of the five listings (link/addr/route/neigh/fdb.json) and of OBSERVATION_SCRIPT
#   (observation.txt), taken inside it.
# - test/fixtures/converged/{host-gw,vxlan}/<host>.txt: the converged state of
#   examples/host-gw.yaml and examples/vxlan.yaml, each host built by hand with ip/bridge/sysctl
#   following docs/kernel-layout.md, then observed with OBSERVATION_SCRIPT inside the host.
#
# Every host is a namespace nkfx-*, entered with a private mount namespace whose /run (so
# /run/netns: workloads are created inside the host) and /etc/bird are its own tmpfs. Nothing
# is added to the root namespace; every nkfx-* namespace is removed on exit, failed or not.
set -euo pipefail

[[ $(id -u) == 0 ]] || { echo "record-fixtures: run as root (it builds network namespaces)" >&2; exit 1; }
[[ -d /etc/bird ]] || { echo "record-fixtures: /etc/bird is missing; install bird2" >&2; exit 1; }

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
scratch=nkfx-scratch
hosts=()

cleanup() {
  local ns
  for ns in "${hosts[@]}" "$scratch"; do
    if [[ -e /run/netns/$ns ]]; then
      ip netns pids "$ns" | xargs -r kill 2>/dev/null || true
      ip netns del "$ns" || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# The script that runs is exactly OBSERVATION_SCRIPT, and names come from src/modes/naming.ts:
# compile those two files alone, so other folders' work in progress cannot break the recording.
cd "$repo"
npx tsc src/observe/observation-script.ts src/modes/naming.ts --outDir "$work/js" --rootDir src \
  --module nodenext --moduleResolution nodenext --target es2022 --strict --skipLibCheck
node --input-type=module -e "
  const { OBSERVATION_SCRIPT } = await import('$work/js/observe/observation-script.js');
  process.stdout.write(OBSERVATION_SCRIPT);" >"$work/observe.sh"
naming() { # naming FUNCTION ARG...
  node --input-type=module -e "
    const naming = await import('$work/js/modes/naming.js');
    console.log(naming['$1'](...process.argv.slice(1)));" "${@:2}"
}
export OBSERVE_SH=$work/observe.sh

ip netns add "$scratch"

# new_host NS ADDRESS: a host namespace whose eth0 is a veth with its peer in the scratch one.
new_host() {
  local ns=$1 peer="p${#hosts[@]}"
  hosts+=("$ns")
  ip netns add "$ns"
  ip link add eth0 netns "$ns" type veth peer name "$peer" netns "$scratch"
  ip -n "$scratch" link set "$peer" up
}

# in_host NS COMMAND...: runs a command in the host with its own /run and /etc/bird. When the
# command ends the mount namespace goes, and with it the host's workload namespaces.
in_host() {
  local ns=$1
  shift
  ip netns exec "$ns" unshare --mount --propagation private bash -euo pipefail -c '
    mount -t tmpfs tmpfs /run
    mkdir -p /run/netns /run/bird
    mount -t tmpfs tmpfs /etc/bird
    "$@"' in_host "$@"
}

observe() { # observe FILE: runs OBSERVATION_SCRIPT as netplan-k sends it, on stdin to sh -s
  sh -s <"$OBSERVE_SH" >"$1"
}

# ---------------------------------------------------------------------------------------------
# kernel/assorted: many kinds of objects in one host.
build_assorted() {
  local out=$1
  ip link set lo up
  ip addr add 192.0.2.5/24 dev eth0
  ip link set eth0 up
  sysctl -qw net.ipv4.ip_forward=1

  ip link add flannel.1 mtu 1450 address 0e:6a:1c:2b:3d:4f type vxlan id 1 local 192.0.2.5 \
    dev eth0 dstport 8472 nolearning
  ip link set dev flannel.1 alias netplan-k:demo up
  ip addr add 10.1.1.0/32 dev flannel.1

  ip link add cni0 mtu 1450 type bridge
  ip link set dev cni0 alias netplan-k:demo up
  ip addr add 10.1.1.1/24 dev cni0

  # red: an owned, routed workload; blue: a foreign namespace on the bridge.
  ip netns add red
  ip -n red link set dev lo alias netplan-k:demo up
  ip link add vethred mtu 1450 address ee:ee:ee:ee:ee:ee type veth peer name eth0 mtu 1450 netns red
  ip link set dev vethred alias netplan-k:demo up
  ip -n red link set eth0 up
  ip -n red addr add 10.1.1.2/32 dev eth0
  ip -n red neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent
  ip -n red route add default via 169.254.1.1 dev eth0 onlink proto 77
  sysctl -qw net.ipv4.conf.vethred.proxy_arp=1

  ip netns add blue
  ip -n blue link set lo up
  ip link add vethblue type veth peer name eth0 netns blue
  ip link set dev vethblue master cni0 up
  ip -n blue link set eth0 up
  ip -n blue addr add 10.1.1.3/24 dev eth0

  ip route add default via 192.0.2.1 dev eth0
  ip route add 198.51.100.0/24 via 192.0.2.1 dev eth0 proto static
  ip route add 10.1.4.0/24 via 192.0.2.8 dev eth0 proto bird
  ip route add 10.1.2.0/24 via 192.0.2.6 dev eth0 proto 77
  ip route add 10.1.3.0/24 via 10.1.3.0 dev flannel.1 onlink proto 77
  ip route add blackhole 10.1.1.0/24 proto 77 metric 1024
  ip route add 10.1.1.2/32 dev vethred scope link proto 77
  ip route add 203.0.113.0/24 via 192.0.2.1 dev eth0 table 100 proto 77

  ip neigh add 10.1.3.0 lladdr 0e:00:00:00:00:03 dev flannel.1 nud permanent
  ip neigh add 192.0.2.6 lladdr 02:00:00:00:00:06 dev eth0 nud permanent
  ip neigh add 192.0.2.7 lladdr 02:00:00:00:00:07 dev eth0 nud stale
  bridge fdb append 0e:00:00:00:00:03 dev flannel.1 dst 192.0.2.7 self permanent
  bridge fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.0.2.6 self permanent
  bridge fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.0.2.7 self permanent

  # A BIRD configuration and a running bird (its socket is in this host's private /run).
  printf '%s\n' '# managed by netplan-k, topology demo; edits are overwritten' \
    'router id 192.0.2.5;' 'protocol device {}' >/etc/bird/bird.conf
  bird -c /etc/bird/bird.conf -P /run/bird/bird.pid
  birdc show status >/dev/null

  mkdir -p "$out"
  ip -j -d link show >"$out/link.json"
  ip -j addr show >"$out/addr.json"
  ip -j route show table all >"$out/route.json"
  ip -j neigh show >"$out/neigh.json"
  bridge -j fdb show >"$out/fdb.json"
  observe "$out/observation.txt"
  kill "$(cat /run/bird/bird.pid)"
}

# ---------------------------------------------------------------------------------------------
# converged: docs/kernel-layout.md, object by object, for one host of an example.

# workload_namespace TOPOLOGY NAME: the namespace, its lo up and marked as owned.
workload_namespace() {
  ip netns add "$2"
  ip -n "$2" link set dev lo alias "netplan-k:$1" up
}

build_hostgw() { # build_hostgw OUT ADDRESS WORKLOAD WORKLOAD_IP VETH PEER_BLOCK PEER_IP
  local out=$1 address=$2 workload=$3 ip=$4 veth=$5 peer_block=$6 peer_ip=$7
  local topology=hostgw-demo mtu=1500
  ip link set lo up
  ip addr add "$address" dev eth0
  ip link set eth0 up
  sysctl -qw net.ipv4.ip_forward=1

  workload_namespace "$topology" "$workload"
  ip link add "$veth" mtu "$mtu" address ee:ee:ee:ee:ee:ee type veth \
    peer name eth0 mtu "$mtu" netns "$workload"
  ip link set dev "$veth" alias "netplan-k:$topology" up
  ip -n "$workload" link set eth0 up
  sysctl -qw "net.ipv4.conf.$veth.proxy_arp=1"
  ip route add "$ip/32" dev "$veth" scope link proto 77
  ip -n "$workload" addr add "$ip/32" dev eth0
  ip -n "$workload" neigh add 169.254.1.1 lladdr ee:ee:ee:ee:ee:ee dev eth0 nud permanent
  ip -n "$workload" route add default via 169.254.1.1 dev eth0 onlink proto 77

  ip route add "$peer_block" via "$peer_ip" dev eth0 proto 77
  observe "$out"
}

build_vxlan() { # build_vxlan OUT ADDRESS BLOCK WORKLOAD WORKLOAD_IP VETH VTEP_MAC PEER...
  # each PEER is "block,network,underlay-ip,vtep-mac"
  local out=$1 address=$2 block=$3 workload=$4 ip=$5 veth=$6 mac=$7
  shift 7
  local topology=vxlan-demo mtu=1450 prefix=${block#*/} net=${block%/*}
  local gw="${net%.*}.$((${net##*.} + 1))"
  ip link set lo up
  ip addr add "$address" dev eth0
  ip link set eth0 up
  sysctl -qw net.ipv4.ip_forward=1

  ip link add flannel.1 mtu "$mtu" address "$mac" type vxlan id 1 local "${address%/*}" \
    dev eth0 dstport 8472 nolearning
  ip link set dev flannel.1 alias "netplan-k:$topology" up
  ip addr add "$net/32" dev flannel.1

  ip link add cni0 mtu "$mtu" type bridge
  ip link set dev cni0 alias "netplan-k:$topology" up
  ip addr add "$gw/$prefix" dev cni0

  workload_namespace "$topology" "$workload"
  ip link add "$veth" mtu "$mtu" type veth peer name eth0 mtu "$mtu" netns "$workload"
  ip link set dev "$veth" master cni0 alias "netplan-k:$topology" up
  ip -n "$workload" link set eth0 up
  ip -n "$workload" addr add "$ip/$prefix" dev eth0
  ip -n "$workload" route add default via "$gw" dev eth0 proto 77

  local peer peer_block peer_net peer_ip peer_mac
  for peer in "$@"; do
    IFS=, read -r peer_block peer_net peer_ip peer_mac <<<"$peer"
    ip route add "$peer_block" via "$peer_net" dev flannel.1 onlink proto 77
    ip neigh add "$peer_net" lladdr "$peer_mac" dev flannel.1 nud permanent
    bridge fdb append "$peer_mac" dev flannel.1 dst "$peer_ip" self permanent
  done
  observe "$out"
}
export -f observe workload_namespace build_assorted build_hostgw build_vxlan

rm -rf test/fixtures/kernel/assorted test/fixtures/converged
mkdir -p test/fixtures/kernel test/fixtures/converged/host-gw test/fixtures/converged/vxlan

new_host nkfx-assorted
in_host nkfx-assorted build_assorted "$repo/test/fixtures/kernel/assorted"

# examples/host-gw.yaml: node-1 192.168.64.5 block 172.17.8.0/24 red 172.17.8.2,
#                        node-2 192.168.64.6 block 172.17.9.0/24 blue 172.17.9.2.
new_host nkfx-hg-node-1
in_host nkfx-hg-node-1 build_hostgw "$repo/test/fixtures/converged/host-gw/node-1.txt" \
  192.168.64.5/24 red 172.17.8.2 "$(naming hostVethName hostgw-demo red)" 172.17.9.0/24 192.168.64.6
new_host nkfx-hg-node-2
in_host nkfx-hg-node-2 build_hostgw "$repo/test/fixtures/converged/host-gw/node-2.txt" \
  192.168.64.6/24 blue 172.17.9.2 "$(naming hostVethName hostgw-demo blue)" 172.17.8.0/24 192.168.64.5

# examples/vxlan.yaml: node-1..3 at 192.168.64.5..7, blocks 10.1.15-17.0/24, workloads
# red, blue, green at .2 of their block.
names=(node-1 node-2 node-3)
workloads=(red blue green)
for i in 0 1 2; do
  peers=()
  for j in 0 1 2; do
    [[ $i == "$j" ]] && continue
    peers+=("10.1.$((15 + j)).0/24,10.1.$((15 + j)).0,192.168.64.$((5 + j)),$(naming vtepMac vxlan-demo "${names[j]}")")
  done
  new_host "nkfx-vx-${names[i]}"
  in_host "nkfx-vx-${names[i]}" build_vxlan "$repo/test/fixtures/converged/vxlan/${names[i]}.txt" \
    "192.168.64.$((5 + i))/24" "10.1.$((15 + i)).0/24" "${workloads[i]}" "10.1.$((15 + i)).2" \
    "$(naming hostVethName vxlan-demo "${workloads[i]}")" "$(naming vtepMac vxlan-demo "${names[i]}")" \
    "${peers[@]}"
done

echo "record-fixtures: wrote test/fixtures/kernel/assorted and test/fixtures/converged"
