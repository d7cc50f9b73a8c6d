import { Address4 } from "ip-address";
import { LabError } from "./lab-error.js";

/** An address with its prefix, as written on an interface ("192.0.2.1/24"). */
export interface Ipv4Interface {
  readonly address: string;
  readonly prefix: number;
  /** The subnet in canonical form ("192.0.2.0/24"). */
  readonly subnet: string;
}

/** Reads an interface address in CIDR form; the lab's own error when it is not one. */
export function parseIpv4Interface(cidr: string): Ipv4Interface {
  if (!/^[0-9.]+\/[0-9]{1,2}$/.test(cidr) || !Address4.isValid(cidr)) {
    throw new LabError(`"${cidr}" is not an IPv4 address in CIDR form (such as 192.0.2.1/24)`);
  }
  const parsed = new Address4(cidr);
  return {
    address: parsed.correctForm(),
    prefix: parsed.subnetMask,
    subnet: parsed.startAddress().correctForm() + `/${parsed.subnetMask}`,
  };
}
