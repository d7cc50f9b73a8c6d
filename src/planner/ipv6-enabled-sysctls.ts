import type { HostState, Sysctl } from "../model/index.js";

/** The switch that takes IPv6 off one device (`net.ipv6.conf.<dev>.disable_ipv6`). */
const disableIpv6Key = (dev: string): string => `net.ipv6.conf.${dev}.disable_ipv6`;

/** Whether a sysctl is a device's disable_ipv6: it must be set before the device's addresses. */
export const isDisableIpv6Sysctl = (sysctl: Sysctl): boolean =>
  /^net\.ipv6\.conf\..+\.disable_ipv6$/.test(sysctl.key);

/**
 * The `disable_ipv6` switches to set back to 0 on netplan-k's own devices of a dual-stack
 * host. `sysctl -w net.ipv6.conf.cni0.disable_ipv6=1` removes every IPv6 address of the device
 * and every IPv6 route through it, and the kernel refuses to add one again while it stays 1
 * (recorded in test/fixtures/kernel/ipv6-judged: `ip addr add` answers "Error: ipv6: IPv6 is
 * disabled on this device.", so an apply that only re-added them failed and rolled back). The devices are those the desired state gives an IPv6
 * address or route (cni0, the IPv6 VTEP, routed veths); the switch is read for every interface
 * in the observation's sysctl grep, and only an observed 1 is set back, before the addresses
 * (order-changes.ts). The underlay is not netplan-k's: its IPv6 address gone is a precondition
 * (check-preconditions.ts). Pure.
 */
export function neededIpv6EnabledSysctls(
  desired: HostState,
  observed: readonly Sysctl[],
): Sysctl[] {
  const disabled = devicesWithIpv6Disabled(observed);
  if (disabled.size === 0) return [];
  const carriers = new Set([
    ...desired.root.addresses.filter((a) => a.cidr.includes(":")).map((a) => a.dev),
    ...desired.root.routes.filter((r) => r.dst.includes(":")).flatMap((r) => r.dev ?? []),
  ]);
  return desired.root.links
    .map((link) => link.name)
    .filter((name) => carriers.has(name) && disabled.has(name))
    .map((name) => ({ key: disableIpv6Key(name), value: "0" }));
}

/**
 * The devices whose IPv6 is off (`disable_ipv6` observed 1): setting it back to 0 makes the
 * kernel give them their link-local address again by itself (measured on a routed veth: an
 * `ip addr add` of it right after failed with "address already assigned").
 */
export const devicesWithIpv6Disabled = (observed: readonly Sysctl[]): Set<string> =>
  new Set(
    observed
      .filter((sysctl) => isDisableIpv6Sysctl(sysctl) && sysctl.value === "1")
      .map((sysctl) => sysctl.key.slice("net.ipv6.conf.".length, -".disable_ipv6".length)),
  );
