import type { Transport } from "../transport/transport.js";
import { createLocalTransport } from "../transport/local-transport.js";
import { labMarker } from "./lab-names.js";
import { parseNetnsList } from "./observe-fabric.js";
import { runChecked } from "./run-checked.js";

/** Network namespaces of the lab, marked through their lo's alias. */

/**
 * Names from `ip -j netns list` on the machine (this one unless told). Throws a LabError when
 * the list cannot be read.
 */
export async function listNamespaces(
  machine: Transport = createLocalTransport("this machine"),
): Promise<readonly string[]> {
  return parseNetnsList(await runChecked(machine, ["ip", "-j", "netns", "list"]));
}

/** True when the namespace's lo carries this lab's marker; false when it cannot be read. */
export async function isLabNamespace(
  machine: Transport,
  namespace: string,
  prefix: string,
): Promise<boolean> {
  const result = await machine.run(["ip", "-n", namespace, "-j", "link", "show", "dev", "lo"]);
  if (result.exitCode !== 0) return false;
  const [lo] = JSON.parse(result.stdout) as { readonly ifalias?: string }[];
  return lo?.ifalias === labMarker(prefix);
}
