import { Address4 } from "ip-address";
import { addressAt } from "../topology/block-math.js";

/** The parts of a host's block ("10.244.1.0/24") that the kernel layout names. */
export interface Block {
  /** Network address, "10.244.1.0": the VTEP's and tunl0's address, a peer's vxlan next hop. */
  readonly network: string;
  /** First address, "10.244.1.1": cni0's address and the bridge-attached workloads' gateway. */
  readonly gateway: string;
  readonly prefix: number;
}

export function describeBlock(cidr: string): Block {
  const block = new Address4(cidr);
  return {
    network: block.startAddress().correctForm(),
    gateway: addressAt(block, 1n).correctForm(),
    prefix: block.subnetMask,
  };
}
