import { describe, expect, it } from "vitest";
import { applySteps } from "../../src/applier/index.js";
import { change, link } from "./changes.js";

// A stale path-MTU exception outlived an MTU repair on a vxlan lab (src/applier/flush-route-cache.ts).
const mtuRepair = change({
  kind: "link",
  action: "update",
  before: link("flannel.1", { mtu: 1000 }),
  after: link("flannel.1", { mtu: 1450 }),
});
const upOnly = change({
  kind: "link",
  action: "update",
  before: link("cni0", { up: false }),
  after: link("cni0", { up: true }),
});

describe("the route cache after an MTU change", () => {
  it("is flushed for both families in the host and in every namespace, last, in the same script", () => {
    const steps = applySteps([mtuRepair, upOnly]);
    expect(steps.at(-1)).toEqual({
      executor: "sh",
      lines: [
        {
          text:
            "ip route flush cache && ip -6 route flush cache && for nk_ns in /run/netns/*; do " +
            '[ -e "$nk_ns" ] || continue; ip -n "${nk_ns##*/}" route flush cache 2>/dev/null || :; ' +
            'ip -n "${nk_ns##*/}" -6 route flush cache 2>/dev/null || :; done',
          change: 1,
        },
      ],
    });
  });

  it("no flush when no change sets an MTU", () => {
    const texts = applySteps([upOnly]).flatMap((step) => step.lines.map((line) => line.text));
    expect(texts.some((text) => text.includes("flush cache"))).toBe(false);
  });
});
