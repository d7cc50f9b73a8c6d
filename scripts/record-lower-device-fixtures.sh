#!/usr/bin/env bash
# Records test/fixtures/kernel/lower-device/ from this machine, unedited: one host namespace
# (lpfx-node, its own /run so its workloads live inside it, as on a real machine) holding a
# vxlan cluster's links (flannel.1, cni0, workload veths, all with topology demo's alias) and
# links stacked on them, netplan-k's and not, and:
#   observation.txt   the output of OBSERVATION_SCRIPT run in that host;
#   host-link.json    the raw ip -j -d link show of the host (what the observation reads);
#   after-delete.json the same listing after ip link del flannel.1, cni0 and nkblue: what the
#                     kernel deleted with them.
# Run as root:  flock /tmp/nk-lab.lock scripts/record-lower-device-fixtures.sh
# An argument replaces the prefix lpfx (a helper records under its own lab prefix). Nothing is
# added to the root namespace; the host namespace, and with it its workloads, is removed on
# exit, failed or not.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/test/fixtures/kernel/lower-device
host=${1:-lpfx}-node
# shellcheck source=record-host-namespace.sh
source "$repo/scripts/record-host-namespace.sh"
mkdir -p "$out"

# Everything below runs in the host with a private /run: ip netns add makes the workloads there.
ip netns exec "$host" unshare --mount --propagation private bash -euo pipefail -c '
  out=$1 observe=$2
  mount -t tmpfs tmpfs /run
  mkdir -p /run/netns
  ip link set lo up
  own() { ip link set dev "$1" alias netplan-k:demo; }
  # The underlay: eth0, one end of a pair whose other end stands in for the fabric.
  ip link add eth0 type veth peer name fab0
  ip addr add 192.0.2.10/24 dev eth0
  ip link set eth0 up
  for ns in red blue; do
    ip netns add $ns
    ip -n $ns link set dev lo alias netplan-k:demo up
  done

  # netplan-k'"'"'s links: the VTEP, the bridge, red'"'"'s veth (a port of cni0), and blue'"'"'s
  # veth nkblue (no port: a macvlan is refused on a bridge port, "Device or resource busy").
  ip link add flannel.1 type vxlan id 1 local 192.0.2.10 dev eth0 dstport 8472 nolearning
  own flannel.1
  ip link add cni0 type bridge
  own cni0
  ip link add nk0123456789a type veth peer name eth0 netns red
  own nk0123456789a
  ip link set nk0123456789a master cni0
  ip link add nkblue type veth peer name eth0 netns blue
  own nkblue

  # Stacked on them. Not netplan-k'"'"'s: the breaker'"'"'s zvx3 on flannel.1, zvx4 on cni0, zvx5 on
  # red'"'"'s veth, the macvlan mvx0 on nkblue, zvx7 on mvown; another topology'"'"'s zvx8 on
  # flannel.1. netplan-k'"'"'s: the macvlan mvown on nkblue.
  ip link add zvx3 type vxlan id 97 dev flannel.1 dstport 4797
  ip link add zvx4 type vxlan id 96 dev cni0 dstport 4796
  ip link add zvx5 type vxlan id 95 dev nk0123456789a dstport 4795
  ip link add mvx0 link nkblue type macvlan
  ip link add mvown link nkblue type macvlan
  own mvown
  ip link add zvx7 type vxlan id 93 dev mvown dstport 4793
  ip link add zvx8 type vxlan id 92 dev flannel.1 dstport 4792
  ip link set dev zvx8 alias netplan-k:other

  ip -j -d link show >"$out/host-link.json"
  sh -s <"$observe" >"$out/observation.txt"
  ip link del flannel.1
  ip link del cni0
  ip link del nkblue
  ip -j -d link show >"$out/after-delete.json"
' record "$out" "$work/observe.sh"
echo "recorded $out"
