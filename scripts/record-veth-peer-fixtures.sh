#!/usr/bin/env bash
# Records test/fixtures/kernel/veth-peer/ from this machine, unedited: one host namespace
# (vpfx-node, its own /run so its workloads live inside it, as on a real machine) whose owned
# workload red holds stray veths whose other ends lie in different places, and the output of
# OBSERVATION_SCRIPT run in that host (observation.txt), and red-link.json, the raw output of
# ip -n red -j -d link show (the listing the observation reads of red).
# Run as root:  flock /tmp/nk-lab.lock scripts/record-veth-peer-fixtures.sh
# An argument replaces the prefix vpfx (a helper records under its own lab prefix). Nothing is
# added to the root namespace; the host namespace, and with it its workloads, is removed on
# exit, failed or not.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/test/fixtures/kernel/veth-peer
host=${1:-vpfx}-node
# shellcheck source=record-host-namespace.sh
source "$repo/scripts/record-host-namespace.sh"
mkdir -p "$out"

# Everything below runs in the host with a private /run: ip netns add makes the workloads there.
ip netns exec "$host" unshare --mount --propagation private bash -euo pipefail -c '
  out=$1 observe=$2
  mount -t tmpfs tmpfs /run
  mkdir -p /run/netns
  ip link set lo up
  # red and blue: workloads of topology demo (lo carries its alias); other: a foreign namespace.
  for ns in red blue; do
    ip netns add $ns
    ip -n $ns link set dev lo alias netplan-k:demo up
  done
  ip netns add other
  ip -n other link set lo up

  # netplan-k'"'"'s own pair: the host end nk0123456789a (owned), eth0 in red.
  ip link add nk0123456789a mtu 1450 type veth peer name eth0 mtu 1450 netns red
  ip link set dev nk0123456789a alias netplan-k:demo up
  ip -n red link set eth0 up

  # Strays in red, each a veth whose other end lies elsewhere:
  # eth1: the breaker'"'"'s case, other end vfx0 in the host, no alias (somebody else'"'"'s).
  ip link add vfx0 type veth peer name eth1 netns red
  # eth2: made from inside red, other end vfx2 moved to the host (by the shell'"'"'s pid).
  ip -n red link add eth2 type veth peer name vfx2 netns $$
  # eth3: other end nkleft in the host, owned (a leftover host-side veth of this cluster).
  ip link add nkleft type veth peer name eth3 netns red
  ip link set dev nkleft alias netplan-k:demo
  # eth4: other end vot0 in the host, owned by another topology.
  ip link add vot0 type veth peer name eth4 netns red
  ip link set dev vot0 alias netplan-k:other
  # eth5: other end eth9 in blue, another workload of this host.
  ip -n red link add eth5 type veth peer name eth9 netns blue
  # eth6: other end eth0 in the foreign namespace other.
  ip -n red link add eth6 type veth peer name eth0 netns other
  # in0, in1: both ends inside red.
  ip -n red link add in0 type veth peer name in1

  ip -n red -j -d link show >"$out/red-link.json"
  sh -s <"$observe" >"$out/observation.txt"
' record "$out" "$work/observe.sh"
echo "recorded $out"
