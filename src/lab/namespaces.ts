import { LabError } from "./lab-error.js";
import { labMarker } from "./lab-names.js";
import { runCommand, tryCommand } from "./run-command.js";

/** Network namespaces of the lab, created with `ip netns` and marked through their lo's alias. */

interface IpLink {
  readonly ifname: string;
  readonly ifalias?: string;
  readonly operstate?: string;
  readonly flags?: readonly string[];
}

interface IpAddressEntry {
  readonly ifname: string;
  readonly addr_info?: readonly {
    readonly family: string;
    readonly local: string;
    readonly prefixlen: number;
  }[];
}

const parseJson = <T>(text: string): T[] => (text.trim() === "" ? [] : (JSON.parse(text) as T[]));

/** Names from `ip netns list` (which prints nothing at all when there are none). */
export async function listNamespaces(): Promise<readonly string[]> {
  const entries = parseJson<{ readonly name: string }>(
    await runCommand(["ip", "-j", "netns", "list"]),
  );
  return entries.map((entry) => entry.name);
}

export async function readLinks(namespace: string): Promise<readonly IpLink[]> {
  return parseJson<IpLink>(await runCommand(["ip", "-n", namespace, "-j", "link", "show"]));
}

/** IPv4 addresses per interface, as "address/prefix". */
export async function readAddresses(
  namespace: string,
): Promise<ReadonlyMap<string, readonly string[]>> {
  const entries = parseJson<IpAddressEntry>(
    await runCommand(["ip", "-n", namespace, "-j", "-4", "addr", "show"]),
  );
  return new Map(
    entries.map((entry) => [
      entry.ifname,
      (entry.addr_info ?? [])
        .filter((a) => a.family === "inet")
        .map((a) => `${a.local}/${a.prefixlen}`),
    ]),
  );
}

/** True when the namespace's lo carries this lab's marker. */
export async function isLabNamespace(namespace: string, prefix: string): Promise<boolean> {
  const result = await tryCommand(["ip", "-n", namespace, "-j", "link", "show", "dev", "lo"]);
  if (result.exitCode !== 0) return false;
  return parseJson<IpLink>(result.stdout)[0]?.ifalias === labMarker(prefix);
}

/**
 * Creates the namespace with a marked, up lo; keeps it when it exists and is marked. A
 * namespace of the same name without the marker belongs to someone else: refuse to use it.
 */
export async function ensureNamespace(
  namespace: string,
  prefix: string,
  existing: ReadonlySet<string>,
): Promise<void> {
  if (existing.has(namespace)) {
    if (await isLabNamespace(namespace, prefix)) return;
    throw new LabError(
      `network namespace ${namespace} exists but was not made by lab ${prefix}: remove it (ip netns del ${namespace}) or choose another lab prefix`,
    );
  }
  await runCommand(["ip", "netns", "add", namespace]);
  await runCommand([
    "ip",
    "-n",
    namespace,
    "link",
    "set",
    "dev",
    "lo",
    "up",
    "alias",
    labMarker(prefix),
  ]);
}

/** Runs `ip -batch -` inside the namespace; stops at the first failing line. */
export async function runIpBatch(namespace: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await runCommand(["ip", "-n", namespace, "-batch", "-"], { input: `${lines.join("\n")}\n` });
}
