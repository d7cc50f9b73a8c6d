import type { Service } from "../model/index.js";
import { isBgpEstablished, isBirdProtocolDown } from "../model/index.js";

/**
 * The sessions a host's BIRD should hold Established but does not, and that apply cannot
 * bring up by itself: the protocol runs (it is not down, which is a change: diff-host-level.ts)
 * but its session is not Established, because the peer's BIRD is down, the path to it is, or
 * it refuses the session. Measured with BIRD 2.0.12: such a session stays in state "start",
 * its info alternating "Active" and "Connect", with BIRD's last error as the message. A plan
 * with nothing to change must still say so (verify fails on it), so each is a warning under
 * its host, one sentence each; nothing about the plan is decided on them.
 *
 * A session is not Established either while this host's own device protocol is down (measured
 * with BIRD 2.0.12: `birdc disable device1` left the host's sessions in "start" until `birdc
 * enable device1`): the warning then names that protocol, which the plan enables, instead of
 * blaming the peer.
 *
 * Takes the host's desired and observed services; gives nothing when BIRD is not running or
 * its protocols are not known (a snapshot made before netplan-k read them).
 */
export function describeBgpSessionsDown(
  desired: readonly Service[],
  observed: readonly Service[],
): string[] {
  return desired.flatMap((want) => {
    const found = observed.find((service) => service.name === want.name);
    if (found === undefined || !found.running || found.protocols === undefined) return [];
    const byName = new Map(found.protocols.map((protocol) => [protocol.name, protocol]));
    const devicesDown = (want.protocols ?? [])
      .filter((wanted) => wanted.proto === "Device")
      .filter((wanted) => {
        const protocol = byName.get(wanted.name);
        return protocol !== undefined && isBirdProtocolDown(protocol);
      })
      .map((wanted) => wanted.name);
    const cause =
      devicesDown.length === 0
        ? `apply cannot bring it up from this host; its peer's BIRD, or the path to the peer, ` +
          `is down`
        : `this host's own protocol ${devicesDown.join(", ")} is disabled at runtime, which ` +
          `apply enables; if the session stays down after that, its peer's BIRD or the path ` +
          `to the peer is down`;
    return (want.protocols ?? [])
      .filter((session) => isBgpEstablished(session))
      .flatMap((session) => {
        const protocol = byName.get(session.name);
        if (protocol === undefined || isBirdProtocolDown(protocol) || isBgpEstablished(protocol)) {
          return [];
        }
        const said = [protocol.state, protocol.info, protocol.message]
          .filter((word) => word !== undefined && word !== "")
          .join(", ");
        return [
          `BGP session ${session.name} is not Established (BIRD shows ${said}): ${cause} ` +
            `(birdc show protocols all ${session.name}), and verify fails until it is up`,
        ];
      });
  });
}
