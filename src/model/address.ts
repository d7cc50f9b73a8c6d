/** An IPv4 address on an interface, in CIDR form ("10.244.1.0/32"). */
export interface Address {
  readonly dev: string;
  readonly cidr: string;
}

export const addressKey = (address: Address): string => `${address.dev}/${address.cidr}`;
