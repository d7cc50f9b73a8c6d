import type { Plan } from "../../src/planner/plan.js";
import { link, route, vtep, VXLAN } from "./states.js";

/** One of each action, a conflict, an unchanged host and a host with an error. */
export const smallPlan = (): Plan => ({
  formatVersion: 1,
  topology: "demo",
  against: "snapshot",
  hosts: [
    {
      host: "node-a",
      observedFingerprint: "ab".repeat(32),
      errors: [],
      conflicts: [
        {
          kind: "route",
          key: "254/10.244.3.0/24/0",
          reason:
            "route 10.244.3.0/24 exists with proto static via 10.0.0.9 and is not netplan-k's; remove it or change the topology",
        },
      ],
      changes: [
        {
          kind: "link",
          action: "replace",
          key: "flannel.1",
          before: vtep({ vxlan: { ...VXLAN, id: 2 } }),
          after: vtep(),
          reason: "link flannel.1: vxlan id 2 → 1, must be recreated (disruptive)",
          disruptive: true,
        },
        {
          kind: "link",
          action: "update",
          netns: "red",
          key: "eth0",
          before: link("eth0", { mtu: 1500, alias: undefined }),
          after: link("eth0", { alias: undefined }),
          reason: "link eth0: mtu 1500 → 1450",
          disruptive: false,
        },
        {
          kind: "route",
          action: "create",
          key: "254/10.244.2.0/24/0",
          after: route("10.244.2.0/24", { via: "10.244.2.0", dev: "flannel.1", onlink: true }),
          reason: "route 10.244.2.0/24: missing",
          disruptive: false,
        },
        {
          kind: "route",
          action: "delete",
          key: "254/10.244.9.0/24/0",
          before: route("10.244.9.0/24", { via: "192.168.64.9", dev: "eth0" }),
          reason: "route 10.244.9.0/24: not in the topology",
          disruptive: true,
        },
      ],
    },
    {
      host: "node-b",
      observedFingerprint: "cd".repeat(32),
      errors: [],
      conflicts: [],
      changes: [],
    },
    {
      host: "node-c",
      observedFingerprint: "ef".repeat(32),
      errors: [
        "the kernel of node-c has no ipip driver (ip link add type ipip: Unknown device type); mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.",
      ],
      conflicts: [],
      changes: [],
    },
  ],
});
