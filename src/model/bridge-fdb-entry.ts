/**
 * An entry of a bridge's own forwarding database pinned by hand (`bridge fdb add|replace MAC
 * dev PORT master static|sticky|permanent`), from `bridge -j fdb show`: a line with "master"
 * and state "static" or "permanent". Learned entries (state "") are not kept: the bridge moves
 * them by itself. netplan-k writes none; what one does to a workload is judged in
 * src/planner/bridge-fdb-conflicts.ts.
 */
export interface BridgeFdbEntry {
  /** The port frames for `mac` leave through. */
  readonly port: string;
  /** The bridge whose table holds the entry. */
  readonly bridge: string;
  readonly mac: string;
  /**
   * "static": added by hand; the bridge moves it to the port the MAC is next seen on, unless
   * sticky. "permanent": the MAC is the bridge's own: frames for it are delivered to the host,
   * never forwarded (the kernel also keeps one for each port's own MAC).
   */
  readonly state: "static" | "permanent";
  /** The sticky flag: the bridge never moves the entry, whatever port the MAC is seen on. */
  readonly sticky?: boolean;
}
