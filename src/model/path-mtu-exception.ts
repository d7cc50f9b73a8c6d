/**
 * A path-MTU exception: what the kernel learnt by itself about one destination when a hop
 * answered a don't-fragment packet with "fragmentation needed" (IPv4) or "packet too big"
 * (IPv6), listed by `ip -j route show table all cache` (both families in one listing,
 * measured with iproute2 6.1.0 on kernel 6.18). The kernel keeps it for
 * net.ipv4.route.mtu_expires / net.ipv6.route.mtu_expires (600 s) after it was last learnt,
 * whatever the path holds now. Observed only: netplan-k never writes one, it only flushes
 * them (planner/stale-path-mtu.ts). The expiry the kernel prints is left out: it changes
 * every second, and the observed state's fingerprint must not.
 */
export interface PathMtuException {
  /** The destination address the exception is for (a host address, without a prefix). */
  readonly dst: string;
  /** The MTU the kernel uses toward `dst` until the exception expires or is flushed. */
  readonly mtu: number;
  /** The device packets to `dst` leave through. */
  readonly dev?: string;
  /** The gateway packets to `dst` are sent to. */
  readonly via?: string;
}

/** An exception's identity: the kernel holds at most one per destination. */
export const pathMtuExceptionKey = (exception: PathMtuException): string => exception.dst;

/** The exception's address family, from its destination. */
export const pathMtuExceptionFamily = (exception: PathMtuException): "inet" | "inet6" =>
  exception.dst.includes(":") ? "inet6" : "inet";
