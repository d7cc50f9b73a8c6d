/**
 * The two-host dual-stack topology whose converged state test/fixtures/converged/dual-stack-*
 * records (scripts/record-dual-stack-fixtures.sh writes the same file), for a mode and an
 * attach style.
 */
export const dualStackTopology = (mode: string, attach: string): string => `apiVersion: netplan-k/v1
name: fx-dual-stack
cluster: { cidr: [10.6.0.0/16, "fd00:10:6::/56"], mode: ${mode}, attach: ${attach} }
hosts:
  - { name: node-1, address: [192.0.2.11/24, "2001:db8::11/64"], podCidr: [10.6.1.0/24, "fd00:10:6:1::/64"], namespaces: [{ name: red, ip: [10.6.1.2, "fd00:10:6:1::2"] }] }
  - { name: node-2, address: [192.0.2.12/24, "2001:db8::12/64"], podCidr: [10.6.2.0/24, "fd00:10:6:2::/64"], namespaces: [{ name: blue, ip: [10.6.2.2, "fd00:10:6:2::2"] }] }
`;

/**
 * The same two hosts with their IPv6 values only (node-1 bgp's reflector), whose converged
 * state test/fixtures/converged/ipv6-only-* records (the script's STACK=ipv6-only).
 */
export const ipv6OnlyTopology = (mode: string, attach: string): string => `apiVersion: netplan-k/v1
name: fx-ipv6-only
cluster: { cidr: "fd00:10:6::/56", mode: ${mode}, attach: ${attach}, bgp: { reflectors: [node-1] } }
hosts:
  - { name: node-1, address: "2001:db8::11/64", podCidr: "fd00:10:6:1::/64", namespaces: [{ name: red, ip: "fd00:10:6:1::2" }] }
  - { name: node-2, address: "2001:db8::12/64", podCidr: "fd00:10:6:2::/64", namespaces: [{ name: blue, ip: "fd00:10:6:2::2" }] }
`;
