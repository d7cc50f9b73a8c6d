#!/usr/bin/env bash
# Records test/fixtures/converged/$STACK-<mode>-<attach>/<host>.txt from this machine, unedited:
# for each mode x attach given (default all four), lab up + apply of a two-host topology on
# lab $LAB_PREFIX (default u4f; nsenter), then OBSERVATION_SCRIPT inside every host; destroy; lab down.
# STACK is dual-stack (default) or ipv6-only (the same hosts with their IPv6 values only; its
# default variants add bgp's two).
# Run as root from a built tree (npm run build), under the lab lock:
#   flock /tmp/nk-lab.lock scripts/record-dual-stack-fixtures.sh
#   STACK=ipv6-only flock /tmp/nk-lab.lock scripts/record-dual-stack-fixtures.sh
# Nothing is added to the root namespace; the lab is taken down on exit, failed or not.
set -euo pipefail
prefix=${LAB_PREFIX:-u4f}
stack=${STACK:-dual-stack}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cli="node $repo/dist/cli/main.js"
out=$repo/test/fixtures/converged
node --input-type=module -e "
  const { OBSERVATION_SCRIPT } = await import('$repo/dist/observe/observation-script.js');
  process.stdout.write(OBSERVATION_SCRIPT);" > "$work/observe.sh"
topo() { # mode attach
  if [[ $stack == ipv6-only ]]; then topo_ipv6_only "$@"; return; fi
cat <<Y
apiVersion: netplan-k/v1
name: fx-dual-stack
cluster: { cidr: [10.6.0.0/16, "fd00:10:6::/56"], mode: $1, attach: $2 }
hosts:
  - { name: node-1, address: [192.0.2.11/24, "2001:db8::11/64"], podCidr: [10.6.1.0/24, "fd00:10:6:1::/64"], namespaces: [{ name: red, ip: [10.6.1.2, "fd00:10:6:1::2"] }] }
  - { name: node-2, address: [192.0.2.12/24, "2001:db8::12/64"], podCidr: [10.6.2.0/24, "fd00:10:6:2::/64"], namespaces: [{ name: blue, ip: [10.6.2.2, "fd00:10:6:2::2"] }] }
lab: { prefix: $prefix, sshd: false }
Y
}
topo_ipv6_only() { # mode attach; bgp with node-1 as the reflector
cat <<Y
apiVersion: netplan-k/v1
name: fx-ipv6-only
cluster: { cidr: "fd00:10:6::/56", mode: $1, attach: $2, bgp: { reflectors: [node-1] } }
hosts:
  - { name: node-1, address: "2001:db8::11/64", podCidr: "fd00:10:6:1::/64", namespaces: [{ name: red, ip: "fd00:10:6:1::2" }] }
  - { name: node-2, address: "2001:db8::12/64", podCidr: "fd00:10:6:2::/64", namespaces: [{ name: blue, ip: "fd00:10:6:2::2" }] }
lab: { prefix: $prefix, sshd: false }
Y
}
cleanup() { [[ -f "$work/t.yaml" ]] && $cli lab down "$work/t.yaml" >/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
if [[ $# -eq 0 ]]; then
  set -- "vxlan bridge" "vxlan routed" "host-gw bridge" "host-gw routed"
  if [[ $stack == ipv6-only ]]; then set -- "$@" "bgp bridge" "bgp routed"; fi
fi
for variant in "$@"; do
  set -- $variant
  topo "$1" "$2" > "$work/t.yaml"
  $cli lab up "$work/t.yaml" >/dev/null
  $cli apply "$work/t.yaml" --auto-approve >/dev/null
  $cli verify "$work/t.yaml" | tail -8
  dir=$out/$stack-$1-$2; mkdir -p "$dir"
  for h in node-1 node-2; do
    nsenter --net=/run/netns/$prefix-$h --mount=/run/netplan-k/mntns/$prefix-$h -- sh "$work/observe.sh" > "$dir/$h.txt"
  done
  $cli plan "$work/t.yaml" --detailed-exitcode >/dev/null && echo "$variant: plan empty"
  $cli destroy "$work/t.yaml" --auto-approve >/dev/null
done
