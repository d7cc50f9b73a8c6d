import { mkdir } from "node:fs/promises";
import type { Topology } from "../topology/topology.js";
import { ensureAnchor } from "./anchor.js";
import { enableForwarding, ensureBridges, ensureNodeLinks } from "./fabric.js";
import { layoutLab } from "./lab-layout.js";
import { labPaths, type LabOptions } from "./lab-paths.js";
import type { LabSpec } from "../topology/topology.js";
import { observeLab, type LabStatus } from "./lab-status.js";
import { ensureNamespace, listNamespaces } from "./namespaces.js";
import { ensureSshd, writeSshFiles } from "./sshd.js";
import { ensureGuestImages, startGuest, waitForGuest, writeGuestInit } from "./guest.js";

/**
 * Builds the topology's hosts on this machine as network namespaces, or as QEMU guests for those
 * named in `lab.guests` (guest.ts). Idempotent: what exists
 * and matches is kept (namespaces, veths, anchors, sshds keep their identity and pids), what
 * is missing is created. Adds nothing to the root network namespace.
 *
 * Order: namespaces and links first (an anchor needs its namespace, routes need their
 * interface), anchors next, sshd last (it runs inside the anchor's mount namespace). Guests
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
  await mkdir(paths.stateDir, { recursive: true });

  const existing = new Set(await listNamespaces());
  emit("fabric");
  await ensureNamespace(layout.fabric, layout.prefix, existing);
  await ensureBridges(layout);

  for (const router of layout.routers) {
    emit(`router ${router.name}`);
    await ensureNamespace(router.namespace, layout.prefix, existing);
    await ensureNodeLinks(layout, router);
    await enableForwarding(router);
  }
  if (layout.controller) {
    emit("controller");
    await ensureNamespace(layout.controller.namespace, layout.prefix, existing);
    await ensureNodeLinks(layout, layout.controller);
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
    await ensureNamespace(host.namespace, layout.prefix, existing);
    await ensureNodeLinks(layout, host);
    const anchor = await ensureAnchor(host, paths);
    if (spec.sshd) await ensureSshd(host, anchor, paths);
  }
  // Guests boot in parallel with each other and with the namespace hosts built above.
  await Promise.all(guests.map((guest) => waitForGuest(layout, guest, paths)));
  return observeLab(layout, spec, paths);
}
