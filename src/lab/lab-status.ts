import type { Topology } from "../topology/topology.js";
import type { Transport } from "../transport/transport.js";
import { findAnchor, isAnchorPublished } from "./anchor.js";
import { layoutLab, type LabLayout, type LabNode } from "./lab-layout.js";
import { labPaths, type LabOptions, type LabPaths } from "./lab-paths.js";
import type { LabSpec } from "../topology/topology.js";
import { openLabMachine } from "./lab-machine.js";
import { isLabNamespace, listNamespaces } from "./namespaces.js";
import { isSshdAnswering } from "./sshd.js";
import { findGuest } from "./guest.js";

export interface LabNamespaceStatus {
  readonly name: string;
  readonly namespace: string;
  /** The namespace exists and carries this lab's marker. */
  readonly exists: boolean;
}

export interface LabHostStatus extends LabNamespaceStatus {
  /** "guest" for a host built as a QEMU guest (`lab.guests`): it has no namespace of its own. */
  readonly kind: "namespace" | "guest";
  /**
   * Pid of the process holding the host: the anchor of a namespace host (its private mount
   * namespace), the QEMU process of a guest. Undefined when it does not live.
   */
  readonly anchorPid: number | undefined;
  /** The anchor's mount namespace is published for the netns transport; for a guest, its QEMU lives. */
  readonly published: boolean;
  /** "off" when the lab runs no sshd; "silent" when sshd gives no banner. */
  readonly sshd: "off" | "answering" | "silent";
}

export interface LabStatus {
  readonly prefix: string;
  readonly stateDir: string;
  readonly mntnsDir: string;
  readonly fabric: LabNamespaceStatus;
  readonly hosts: readonly LabHostStatus[];
  readonly routers: readonly LabNamespaceStatus[];
  readonly controller: LabNamespaceStatus | undefined;
  /** `ssh -F <sshConfig> <host>` reaches a lab host; undefined without sshd. */
  readonly sshConfig: string | undefined;
  /** Every namespace exists, every anchor lives and is published, every sshd answers. */
  readonly ready: boolean;
}

/** What of the lab exists now; reads only. */
export async function labStatus(
  topology: Topology,
  spec: LabSpec,
  options: LabOptions = {},
): Promise<LabStatus> {
  const layout = layoutLab(topology, spec);
  const machine = options.machine ?? openLabMachine(spec.prefix);
  return observeLab(layout, spec, labPaths(spec.prefix, options), machine);
}

/** What of the lab laid out exists now, asking `machine` which namespaces are the lab's. */
export async function observeLab(
  layout: LabLayout,
  spec: LabSpec,
  paths: LabPaths,
  machine: Transport,
): Promise<LabStatus> {
  const present = new Set(await listNamespaces(machine));
  const namespaceStatus = async (name: string, namespace: string): Promise<LabNamespaceStatus> => ({
    name,
    namespace,
    exists: present.has(namespace) && (await isLabNamespace(machine, namespace, layout.prefix)),
  });
  const guestStatus = async (host: LabNode): Promise<LabHostStatus> => {
    // A guest exists while its QEMU runs in the fabric; there is nothing to publish.
    const qemuPid = present.has(layout.fabric) ? await findGuest(layout, host, paths) : undefined;
    const exists = qemuPid !== undefined;
    const sshd = exists && (await isSshdAnswering(layout, host, paths)) ? "answering" : "silent";
    return {
      name: host.name,
      namespace: host.namespace,
      exists,
      kind: "guest",
      anchorPid: qemuPid,
      published: exists,
      sshd,
    };
  };
  const hostStatus = async (host: LabNode): Promise<LabHostStatus> => {
    if (host.guest) return guestStatus(host);
    const base = await namespaceStatus(host.name, host.namespace);
    const anchorPid = base.exists ? await findAnchor(host, paths) : undefined;
    const published = anchorPid !== undefined && (await isAnchorPublished(host, anchorPid, paths));
    const sshd = !spec.sshd
      ? "off"
      : base.exists && (await isSshdAnswering(layout, host, paths))
        ? "answering"
        : "silent";
    return { ...base, kind: "namespace", anchorPid, published, sshd };
  };
  const [fabric, hosts, routers, controller] = await Promise.all([
    namespaceStatus("fabric", layout.fabric),
    Promise.all(layout.hosts.map(hostStatus)),
    Promise.all(layout.routers.map((router) => namespaceStatus(router.name, router.namespace))),
    layout.controller
      ? namespaceStatus(layout.controller.name, layout.controller.namespace)
      : undefined,
  ]);
  const ready =
    fabric.exists &&
    routers.every((router) => router.exists) &&
    (controller?.exists ?? true) &&
    hosts.every((host) => host.exists && host.published && host.sshd !== "silent");
  return {
    prefix: layout.prefix,
    stateDir: paths.stateDir,
    mntnsDir: paths.mntnsDir,
    fabric,
    hosts,
    routers,
    controller,
    sshConfig: spec.sshd ? paths.sshConfig : undefined,
    ready,
  };
}
