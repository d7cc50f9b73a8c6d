import { ApplierError } from "./applier-error.js";
import { safeInterface } from "./safe-values.js";

/**
 * The /proc/sys file of a sysctl key. Interface names may hold dots (flannel.1), so a
 * per-interface key ("net.ipv4.conf.flannel.1.proxy_arp") is split by its structure: the
 * family prefix, then the device, then the parameter after the last dot. Other keys have no
 * device and every dot is a directory separator.
 */
const PER_INTERFACE = /^net\.(ipv4|ipv6)\.(conf|neigh)\.(.+)\.([a-z0-9_]+)$/;
const PLAIN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

export function sysctlPath(key: string): string {
  const perInterface = PER_INTERFACE.exec(key);
  if (perInterface !== null) {
    const [, family, table, device = "", parameter] = perInterface;
    return `/proc/sys/net/${family}/${table}/${safeInterface(device, `device of sysctl ${key}`)}/${parameter}`;
  }
  if (PLAIN.test(key)) return `/proc/sys/${key.replaceAll(".", "/")}`;
  throw new ApplierError(
    "apply.unsafe-value",
    `sysctl key ${JSON.stringify(key)} is not a dotted kernel parameter name; refusing to write it`,
  );
}
