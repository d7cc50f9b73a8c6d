import { Address4, Address6 } from "ip-address";
import {
  KERNEL_PROTOCOL,
  LOCAL_TABLE,
  MAIN_TABLE,
  type Address,
  type Route,
} from "../model/index.js";

/**
 * The routes the kernel derives from the addresses a device holds (fib_add_ifaddr in
 * net/ipv4/fib_frontend.c; see test/fixtures/kernel/rule-actions, recorded from a namespace):
 * for `A/len` on a device, `proto kernel` and with `src` set to the primary address of A's
 * network on that device (A itself, unless A is a secondary address):
 * - the network of A/len in main (`scope link`), for a length under 32 (a `local` route in
 *   the local table when the device is lo);
 * - `local A` in the local table;
 * - `broadcast` of the network's last address in the local table, for a length under 31.
 *
 * Such a route does what its address does, and the address is judged instead. Everything
 * else is judged as a route, `proto kernel` or not: a route added by hand with `proto kernel`,
 * one in another table, the peer prefix of a point-to-point address (`ip addr add A peer P/len`
 * routes P/len, which netplan-k's address model, A/len, does not derive).
 *
 * For an IPv6 address `A/len` the kernel derives its prefix route (addrconf_prefix_route in
 * net/ipv6/addrconf.c): the network of A/len in main, `proto kernel metric 256` without
 * `src`, for every length, /128 included (recorded in test/fixtures/converged/dual-stack-*:
 * `fd00:10:6:1:: dev flannel-v6.1 proto kernel metric 256` for the VTEP's `/128`). Its entries
 * of table local are the kernel's and are not read (src/observe/parse-ip-routes.ts).
 *
 * A route without `src` (a snapshot from before netplan-k read it) still matches: with the
 * same prefix, table, type and device and no gateway it takes exactly the packets the
 * address's own route would.
 */

const LOOPBACK = "lo";

/** One route an address gives rise to, without its source. */
interface DerivedShape {
  readonly dst: string;
  readonly table: number;
  readonly type: Route["type"];
}

function shapesOf(address: Address4, dev: string): DerivedShape[] {
  const length = address.subnetMask;
  const host = `${address.addressMinusSuffix}/32`;
  const network = address.networkForm();
  const shapes: DerivedShape[] = [{ dst: host, table: LOCAL_TABLE, type: "local" }];
  if (length < 32) {
    shapes.push(
      dev === LOOPBACK
        ? { dst: network, table: LOCAL_TABLE, type: "local" }
        : { dst: network, table: MAIN_TABLE, type: "unicast" },
    );
  }
  if (length < 31) {
    shapes.push({
      dst: `${address.endAddress().correctForm()}/32`,
      table: LOCAL_TABLE,
      type: "broadcast",
    });
  }
  return shapes;
}

/** The IPv6 prefix route of an address (see the notes above). */
const shapesOf6 = (address: Address6): DerivedShape[] => [
  {
    dst: `${address.startAddress().correctForm()}/${address.subnetMask}`,
    table: MAIN_TABLE,
    type: "unicast",
  },
];

/** Whether an IPv6 `route` is the prefix route of an address of its device. */
const isDerivedFromIpv6Address = (route: Route, addresses: readonly Address[]): boolean =>
  route.prefsrc === undefined &&
  addresses.some(
    (address) =>
      address.dev === route.dev &&
      address.cidr.includes(":") &&
      Address6.isValid(address.cidr) &&
      shapesOf6(new Address6(address.cidr)).some(
        (shape) =>
          shape.dst === route.dst && shape.table === route.table && shape.type === route.type,
      ),
  );

/**
 * Whether `route` is one the kernel derived from an address in `addresses` (the host's
 * namespace as observed): `proto kernel`, no gateway, the device, table, type and prefix an
 * address of that device gives, and as source (when the route names one) an address of that
 * device in the same network.
 */
export function isDerivedFromAddress(route: Route, addresses: readonly Address[]): boolean {
  if (route.protocol !== KERNEL_PROTOCOL || route.via !== undefined || route.dev === undefined) {
    return false;
  }
  if (route.dst.includes(":")) return isDerivedFromIpv6Address(route, addresses);
  const onDev = addresses
    .filter((address) => address.dev === route.dev && Address4.isValid(address.cidr))
    .map((address) => new Address4(address.cidr));
  return onDev.some(
    (address) =>
      shapesOf(address, route.dev ?? "").some(
        (shape) =>
          shape.dst === route.dst && shape.table === route.table && shape.type === route.type,
      ) &&
      (route.prefsrc === undefined ||
        onDev.some(
          (primary) =>
            primary.addressMinusSuffix === route.prefsrc &&
            primary.networkForm() === address.networkForm(),
        )),
  );
}
