import { Address6 } from "ip-address";
import { formatIpv4, ipv4Mask, parseIpv4Prefix } from "../model/ipv4-number.js";

/** The parts of a host's block ("10.244.1.0/24") that the kernel layout names. */
export interface Block {
  /** Network address, "10.244.1.0": the VTEP's and tunl0's address, a peer's vxlan next hop. */
  readonly network: string;
  /** First address, "10.244.1.1": cni0's address and the bridge-attached workloads' gateway. */
  readonly gateway: string;
  readonly prefix: number;
}

/**
 * The network and first address of a block in CIDR form. Throws a RangeError for a text that
 * is no IPv4 prefix (the topology's checks let none through).
 */
export function describeBlock(cidr: string): Block {
  const block = parseIpv4Prefix(cidr);
  if (block === undefined) {
    throw new RangeError(
      `block "${cidr}" is not an IPv4 prefix; the topology's checks should have refused it`,
    );
  }
  const network = (block.address & ipv4Mask(block.length)) >>> 0;
  return { network: formatIpv4(network), gateway: formatIpv4(network + 1), prefix: block.length };
}

/**
 * The network and first address of an IPv6 block ("fd00:10:244:1::/64"), compressed as the
 * kernel prints them: the same parts as describeBlock's (the VTEP's address, cni0's). Throws
 * a RangeError for a text that is no IPv6 prefix (the topology's checks let none through).
 */
export function describeBlock6(cidr: string): Block {
  if (!Address6.isValid(cidr) || !cidr.includes("/")) {
    throw new RangeError(
      `block "${cidr}" is not an IPv6 prefix; the topology's checks should have refused it`,
    );
  }
  const block = new Address6(cidr);
  const network = block.startAddress().bigInt();
  return {
    network: Address6.fromBigInt(network).correctForm(),
    gateway: Address6.fromBigInt(network + 1n).correctForm(),
    prefix: block.subnetMask,
  };
}
