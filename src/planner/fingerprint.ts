import { createHash } from "node:crypto";
import type { HostState, NetState, Service } from "../model/index.js";
import { canonicalJson, sortKeysDeep } from "./canonical-json.js";

/** The fingerprint of a host planned against emptyHostState() rather than an observation. */
export const EMPTY_FINGERPRINT = "empty";

/** The fingerprint of a host that had no observed state (the plan holds an error for it). */
export const MISSING_FINGERPRINT = "none";

/** Sorts every list by its members' canonical text: the order a host lists objects in is not state. */
function sortListsDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map(sortListsDeep)
      .map((member) => ({ member, text: canonicalJson(member) }))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .map(({ member }) => member);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, sortListsDeep(member)]),
    );
  }
  return value;
}

/**
 * What a plan depends on. Dynamic neighbour entries come and go with ARP traffic and the
 * planner ignores them: left in, they would make every saved plan stale within seconds.
 * Path-MTU exceptions are left out too: the kernel learns them from traffic (a real smaller
 * hop teaches one per destination talked to) and forgets them after 600 s, and a flush
 * planned for one that has gone by apply time finds nothing and harms nothing. Left in, a
 * saved plan would go stale, and a rollback be called incomplete, when traffic taught one.
 */
export const withoutVolatile = (net: NetState): NetState => {
  const { pathMtuExceptions: _learnt, ...kept } = net;
  return { ...kept, neighbours: net.neighbours.filter((neighbour) => neighbour.permanent) };
};

/**
 * What a plan depends on of BIRD's protocols: each one's state. A session that cannot connect
 * alternates its info between "Active" and "Connect" every few seconds, with a new message.
 */
const withoutProtocolInfo = (service: Service): Service =>
  service.protocols === undefined
    ? service
    : {
        ...service,
        protocols: service.protocols.map(({ name, proto, state }) => ({
          name,
          proto,
          state,
          info: "",
        })),
      };

/**
 * sha256 (hex) of the observed state in canonical JSON: keys sorted, lists sorted, volatile
 * entries left out. A saved plan is stale when a host's fingerprint differs at apply time.
 */
export const fingerprintHostState = (state: HostState): string => {
  const stable: HostState = {
    ...state,
    services: state.services.map(withoutProtocolInfo),
    root: withoutVolatile(state.root),
    namespaces: state.namespaces.map((ns) => ({ ...ns, net: withoutVolatile(ns.net) })),
  };
  return createHash("sha256")
    .update(JSON.stringify(sortKeysDeep(sortListsDeep(stable))))
    .digest("hex");
};
