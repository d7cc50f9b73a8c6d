/** An IPv4 or IPv6 address on an interface, in CIDR form ("10.244.1.0/32", "2001:db8::11/64"). */
export interface Address {
  readonly dev: string;
  readonly cidr: string;
  /**
   * Observed only, IPv6: Duplicate Address Detection found the address on another machine
   * (`"dadfailed": true` in `ip -j addr`, recorded in test/fixtures/kernel/ipv6-judged). The
   * kernel keeps it listed but never uses it: no packet is sent from it nor accepted for it.
   */
  readonly dadFailed?: boolean;
}

export const addressKey = (address: Address): string => `${address.dev}/${address.cidr}`;
