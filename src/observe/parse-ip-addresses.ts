import type { Address } from "../model/address.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "ip -j addr show";

/** IPv4 addresses from `ip -j addr show`; IPv6 ones (link-local on every veth) are skipped. */
export function parseIpAddresses(json: unknown): Address[] {
  return readEntries(json, COMMAND).flatMap((link) => {
    const dev = link.string("ifname");
    return link
      .array("addr_info")
      .filter((info) => info.optionalString("family") === "inet")
      .map((info) => ({ dev, cidr: `${info.string("local")}/${info.number("prefixlen")}` }));
  });
}
