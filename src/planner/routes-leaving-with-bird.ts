import type { HostState, Route } from "../model/index.js";
import { BIRD_PROTOCOL } from "../model/index.js";
import { isFileOwned, routeProtocolName } from "./ownership-rules.js";

/**
 * Which observed routes leave with netplan-k's own BIRD in this plan: when the plan stops it
 * (a switch away from bgp: BIRD runs with a configuration this topology wrote, and the
 * desired state has no BIRD), every route BIRD installed (`proto bird`, RTPROT_BIRD 12) is
 * withdrawn by BIRD's kernel protocol as it shuts down. Such a route is no contender for the
 * routes the plan writes: an IPv6 route netplan-k writes gets the kernel's default metric
 * 1024 and would lose to BIRD's 32 (measured: a dual-stack bgp → vxlan switch was refused for
 * BIRD's own IPv6 routes; IPv4's vxlan routes, metric 0, win). Any other plan: none. Pure.
 */
export function routesLeavingWithBird(
  topology: string,
  desired: Pick<HostState, "services">,
  observed: Pick<HostState, "services" | "files">,
): (route: Route) => boolean {
  const stopsOwnBird =
    !desired.services.some((service) => service.name === "bird") &&
    observed.services.some(
      (service) =>
        service.name === "bird" &&
        service.running &&
        observed.files.some(
          (file) => file.path === service.configPath && isFileOwned(topology, file.content),
        ),
    );
  const birdName = routeProtocolName(BIRD_PROTOCOL);
  return (route) => stopsOwnBird && routeProtocolName(route.protocol) === birdName;
}
