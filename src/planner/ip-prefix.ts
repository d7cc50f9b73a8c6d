import { Address4, Address6 } from "ip-address";

/**
 * An address or prefix of either family, as the planner's judges compare them: one function
 * serves both, since the kernel's facts they build on (longest prefix, rules in order, an
 * address's own routes) are the same for IPv4 and IPv6. A text is IPv6 when it holds a colon.
 */
export type IpPrefix = Address4 | Address6;

export type IpFamily = "ipv4" | "ipv6";

/** The family of an address or prefix as text: IPv6 when it holds a colon. */
export const familyOf = (text: string): IpFamily => (text.includes(":") ? "ipv6" : "ipv4");

/** Whether `text` is a valid address or prefix of `family`. */
export const isValidOf = (text: string, family: IpFamily): boolean =>
  familyOf(text) === family &&
  (family === "ipv4" ? Address4.isValid(text) : Address6.isValid(text));

/** Parses an address or prefix of either family; throws (ip-address's error) when invalid. */
export const parseIpPrefix = (text: string): IpPrefix =>
  familyOf(text) === "ipv6" ? new Address6(text) : new Address4(text);

/** The length of one address of the family: 32 or 128. */
export const hostBitsOf = (family: IpFamily): number => (family === "ipv4" ? 32 : 128);

/** The prefix every packet of the family matches: `from all` as `ip rule` means it. */
export const everywhereOf = (family: IpFamily): string =>
  family === "ipv4" ? "0.0.0.0/0" : "::/0";

/** Whether `inner` lies inside `outer` (or is it); never across families. */
export function isPrefixWithin(inner: IpPrefix, outer: IpPrefix): boolean {
  if (inner instanceof Address4) return outer instanceof Address4 && inner.isInSubnet(outer);
  return outer instanceof Address6 && inner.isInSubnet(outer);
}

/** The prefix as CIDR with its network address: "10.244.1.0/24", "fd00:10:6:1::/64". */
export const prefixCidr = (prefix: IpPrefix): string =>
  `${prefix.startAddress().correctForm()}/${prefix.subnetMask}`;

/** The address itself as a single-address prefix: "10.244.1.1/32", "fd00:10:6:1::1/128". */
export const hostPrefixOf = (prefix: IpPrefix): IpPrefix =>
  parseIpPrefix(
    `${prefix.addressMinusSuffix}/${hostBitsOf(prefix instanceof Address4 ? "ipv4" : "ipv6")}`,
  );
