import { rm } from "node:fs/promises";
import { LabError } from "./lab-error.js";
import { EMPTY_FABRIC } from "./fabric-state.js";
import { openLabMachine } from "./lab-machine.js";
import { labPaths, type LabOptions } from "./lab-paths.js";
import { observeFabric } from "./observe-fabric.js";
import { parseFabricObservation } from "./parse-fabric-observation.js";
import { planFabric } from "./plan-fabric.js";
import { removeLabNamespace } from "./remove-lab-namespace.js";
import { stopGuests } from "./guest.js";

/**
 * Removes every namespace of the lab: the fabric planned against an empty one, so exactly those
 * named `<prefix>-*` whose lo carries the lab's marker (a namespace with the prefix but without
 * the marker is someone else's and stays), each with its processes (removeLabNamespace).
 * Guests' QEMU processes are killed first; their taps live in the fabric namespace and go with
 * it. Then the state dir. Idempotent: a lab already gone is a no-op. Throws a LabError when a
 * process survives SIGKILL or a command fails.
 */
export async function labDown(prefix: string, options: LabOptions = {}): Promise<void> {
  const paths = labPaths(prefix, options);
  const emit = options.onEvent ?? (() => undefined);
  // QEMU runs in the fabric namespace and would go with it; stopped first, and said so.
  const survivors = await stopGuests(paths);
  if (survivors.length > 0) {
    throw new LabError(
      `guests' QEMU processes ${survivors.join(", ")} survived SIGKILL; remove them, then run lab down again`,
    );
  }
  const machine = options.machine ?? openLabMachine(prefix);
  const observed = parseFabricObservation(await observeFabric(machine, prefix), prefix);
  for (const namespace of observed.namespaces) {
    if (!namespace.owned) emit(`skipping ${namespace.name}: not made by lab ${prefix}`);
  }
  for (const namespace of planFabric(EMPTY_FABRIC, observed).removals) {
    emit(`removing ${namespace}`);
    await removeLabNamespace(machine, namespace, paths);
  }
  await rm(paths.stateDir, { recursive: true, force: true });
}
