import { mkdir } from "node:fs/promises";
import type { Topology } from "../topology/topology.js";
import { ensureAnchor } from "./anchor.js";
import { applyFabricActions } from "./apply-fabric-actions.js";
import { desiredFabric } from "./desired-fabric.js";
import { actionsFor } from "./fabric-plan.js";
import { LabError } from "./lab-error.js";
import { layoutLab } from "./lab-layout.js";
import { openLabMachine } from "./lab-machine.js";
import { labPaths, type LabOptions } from "./lab-paths.js";
import type { LabSpec } from "../topology/topology.js";
import { observeLab, type LabStatus } from "./lab-status.js";
import { observeFabric } from "./observe-fabric.js";
import { parseFabricObservation } from "./parse-fabric-observation.js";
import { planFabric } from "./plan-fabric.js";
import { removeLabNamespace } from "./remove-lab-namespace.js";
import { ensureSshd, writeSshFiles } from "./sshd.js";
import { ensureGuestImages, startGuest, waitForGuest, writeGuestInit } from "./guest.js";

/**
 * Builds the topology's hosts on this machine as network namespaces, or as QEMU guests for those
 * named in `lab.guests` (guest.ts). The fabric (namespaces, bridges, veths, taps, addresses,
 * routes, forwarding) is planned up front by diffing the layout's desired fabric against the one
 * observed, so a second run changes nothing, and a changed topology converges: what is missing
 * or differs is made or set, and the namespaces of hosts no longer in it are removed with their
 * processes. Anchors and sshds that live are kept with their pids. Adds nothing to the root
 * network namespace. Throws a LabError, before anything changes, when a namespace the lab needs
 * belongs to someone else.
 *
 * Order: per node its fabric step first (an anchor needs its namespace, routes need their
 * interface), its anchor next, sshd last (it runs inside the anchor's mount namespace). Guests
 * start after the fabric and the SSH files (their sshd reads those), and are waited for last.
 */
export async function labUp(
  topology: Topology,
  spec: LabSpec,
  options: LabOptions = {},
): Promise<LabStatus> {
  const layout = layoutLab(topology, spec);
  const paths = labPaths(spec.prefix, options);
  const emit = options.onEvent ?? (() => undefined);
  const machine = options.machine ?? openLabMachine(layout.prefix);
  const observed = parseFabricObservation(
    await observeFabric(machine, layout.prefix),
    layout.prefix,
  );
  const plan = planFabric(desiredFabric(layout), observed);
  const [foreign] = plan.refusals;
  if (foreign !== undefined) {
    throw new LabError(
      `network namespace ${foreign} exists but was not made by lab ${layout.prefix}: remove it (ip netns del ${foreign}) or choose another lab prefix`,
    );
  }
  const build = (namespace: string): Promise<void> =>
    applyFabricActions(machine, actionsFor(plan, namespace));
  await mkdir(paths.stateDir, { recursive: true });

  emit("fabric");
  await build(layout.fabric);
  for (const router of layout.routers) {
    emit(`router ${router.name}`);
    await build(router.namespace);
  }
  if (layout.controller) {
    emit("controller");
    await build(layout.controller.namespace);
  }
  if (spec.sshd) await writeSshFiles(layout, paths);
  const guests = layout.hosts.filter((host) => host.guest !== undefined);
  if (guests.length > 0) {
    emit("guest images");
    const images = await ensureGuestImages();
    await writeGuestInit(paths);
    for (const guest of guests) {
      emit(`guest ${guest.name}`);
      await startGuest(layout, guest, paths, images);
    }
  }
  for (const host of layout.hosts) {
    if (host.guest) continue;
    emit(`host ${host.name}`);
    await build(host.namespace);
    const anchor = await ensureAnchor(host, paths);
    if (spec.sshd) await ensureSshd(host, anchor, paths);
  }
  // Last: a veth dies with either end, so the fabric's step, which deletes the ports of these
  // namespaces, has already cut them off, and a port planned away must still exist when it runs.
  for (const namespace of plan.removals) {
    emit(`removing ${namespace}`);
    await removeLabNamespace(machine, namespace, paths);
  }
  // Guests boot in parallel with each other and with the namespace hosts built above.
  await Promise.all(guests.map((guest) => waitForGuest(layout, guest, paths)));
  return observeLab(layout, spec, paths, machine);
}
