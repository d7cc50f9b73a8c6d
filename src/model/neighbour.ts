/** A neighbour (ARP) entry. netplan-k only ever writes permanent ones. */
export interface Neighbour {
  readonly dev: string;
  readonly dst: string;
  readonly lladdr?: string;
  readonly permanent: boolean;
}

export const neighbourKey = (neighbour: Neighbour): string => `${neighbour.dev}/${neighbour.dst}`;
