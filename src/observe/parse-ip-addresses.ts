import type { Address } from "../model/address.js";
import { ROUTED_GATEWAY_V6 } from "../modes/naming.js";
import { readEntries } from "./json-entries.js";

const COMMAND = "ip -j addr show";

/**
 * IPv4 addresses and global IPv6 ones from `ip -j addr show`. The kernel's own IPv6 addresses
 * (link-local on every up interface, `::1` on lo: scope link and host) are left out. DAD's
 * `tentative` and `nodad` are not part of an address, so DAD never shows as a change; an
 * address whose DAD failed is kept, marked `dadFailed` (the kernel never uses it). One
 * link-local address is kept: routed attach's IPv6 gateway `fe80::ecee:eeff:feee:eeee`, which
 * the kernel derives from the host veth's MAC and every workload's default route goes through
 * (docs/kernel-layout.md, "attach: routed"): deleted, it must be seen to be repaired.
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
          (family === "inet6" &&
            ((info.optionalString("scope") ?? "global") === "global" ||
              info.optionalString("local") === ROUTED_GATEWAY_V6))
        );
      })
      .map((info) => ({
        dev,
        cidr: `${info.string("local")}/${info.number("prefixlen")}`,
        ...(info.keys().includes("dadfailed") && info.boolean("dadfailed") && { dadFailed: true }),
      }));
  });
}
