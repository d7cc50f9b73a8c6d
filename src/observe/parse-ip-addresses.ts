import type { Address } from "../model/address.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "ip -j addr show";

/**
 * IPv4 addresses and global IPv6 ones from `ip -j addr show`. The kernel's own IPv6 addresses
 * (link-local on every up interface, `::1` on lo: scope link and host) are left out. DAD's
 * `tentative` and `nodad` are not part of an address, so DAD never shows as a change; an
 * address whose DAD failed is kept, marked `dadFailed` (the kernel never uses it).
 */
export function parseIpAddresses(json: unknown): Address[] {
  return readEntries(json, COMMAND).flatMap((link) => {
    const dev = link.string("ifname");
    return link
      .array("addr_info")
      .filter((info) => {
        const family = info.optionalString("family");
        return (
          family === "inet" ||
          (family === "inet6" && (info.optionalString("scope") ?? "global") === "global")
        );
      })
      .map((info) => ({
        dev,
        cidr: `${info.string("local")}/${info.number("prefixlen")}`,
        ...(info.keys().includes("dadfailed") && info.boolean("dadfailed") && { dadFailed: true }),
      }));
  });
}
