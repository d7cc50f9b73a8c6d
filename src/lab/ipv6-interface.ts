import { Address6 } from "ip-address";
import { addressText, cidrText } from "../topology/block-math.js";
import { LabError } from "./lab-error.js";

/** An IPv6 address with its prefix, as written on an interface ("2001:db8::1/64"). */
export interface Ipv6Interface {
  /** Compressed, without prefix: "2001:db8::1". */
  readonly address: string;
  readonly prefix: number;
  /** The subnet in canonical form ("2001:db8::/64"), as a host's underlaySubnet is written. */
  readonly subnet: string;
}

/**
 * Reads an IPv6 interface address in CIDR form (a dual-stack lab router's IPv6 leg); the
 * lab's own error when it is not one.
 */
export function parseIpv6Interface(cidr: string): Ipv6Interface {
  if (!/\/[0-9]{1,3}$/.test(cidr) || !Address6.isValid(cidr)) {
    throw new LabError(`"${cidr}" is not an IPv6 address in CIDR form (such as 2001:db8::1/64)`);
  }
  const parsed = new Address6(cidr);
  return { address: addressText(parsed), prefix: parsed.subnetMask, subnet: cidrText(parsed) };
}
