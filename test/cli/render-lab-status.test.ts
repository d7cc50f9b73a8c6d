import { describe, expect, it } from "vitest";
import type { LabHostStatus, LabStatus } from "../../src/lab/index.js";
import { renderLabStatus } from "../../src/cli/render-lab-status.js";

const host = (name: string, sshd: LabHostStatus["sshd"]): LabHostStatus => ({
  name,
  namespace: `qu-${name}`,
  exists: true,
  kind: "namespace",
  anchorPid: 4242,
  published: true,
  sshd,
});

const status = (hosts: readonly LabHostStatus[], sshConfig?: string): LabStatus => ({
  prefix: "qu",
  stateDir: "/var/tmp/netplan-k/labs/qu",
  mntnsDir: "/run/netplan-k/mntns",
  fabric: { name: "fabric", namespace: "qu-fabric", exists: true },
  hosts,
  routers: [],
  controller: undefined,
  sshConfig,
  ready: true,
});

describe("lab status: the way into a host", () => {
  it("without sshd, prints per host the nsenter line that enters it", () => {
    const text = renderLabStatus(status([host("node-1", "off"), host("node-2", "off")]), "t.yaml");
    expect(text).toContain(
      "    node-1: nsenter --net=/run/netns/qu-node-1 --mount=/run/netplan-k/mntns/qu-node-1 -- bash",
    );
    expect(text).toContain(
      "    node-2: nsenter --net=/run/netns/qu-node-2 --mount=/run/netplan-k/mntns/qu-node-2 -- bash",
    );
    expect(text).not.toContain("ssh -F");
  });

  it("with sshd answering, prints the ssh command instead", () => {
    const text = renderLabStatus(
      status([host("node-1", "answering")], "/var/tmp/netplan-k/labs/qu/ssh_config"),
      "t.yaml",
    );
    expect(text).toContain("ssh -F /var/tmp/netplan-k/labs/qu/ssh_config <host>");
    expect(text).not.toContain("nsenter");
  });
});
