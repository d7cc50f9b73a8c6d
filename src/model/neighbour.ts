/** A neighbour (ARP) entry. netplan-k only ever writes permanent ones. */
export interface Neighbour {
  readonly dev: string;
  readonly dst: string;
  readonly lladdr?: string;
  readonly permanent: boolean;
  /**
   * Observed only: state NOARP (`ip neigh replace … nud noarp`; listed by `ip neigh show nud
   * all` only). Like a permanent entry, the kernel uses its lladdr and never resolves it again
   * (measured: reachable and stale entries with a wrong MAC are probed again and heal by
   * themselves within base_reachable_time, a noarp one never does).
   */
  readonly noarp?: boolean;
}

export const neighbourKey = (neighbour: Neighbour): string => `${neighbour.dev}/${neighbour.dst}`;
