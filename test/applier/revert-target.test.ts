import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseRevertReport,
  renderArmScript,
  renderDisarmScript,
  renderRevertScript,
  splitExpressible,
} from "../../src/applier/armed-revert-script.js";
import { emptyHostState, type HostState } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/index.js";
import { modes } from "../../src/modes/registry.js";
import { parseObservation } from "../../src/observe/index.js";
import {
  planRollback,
  planTopology,
  type Change,
  type OwnerScope,
} from "../../src/planner/index.js";
import { planRevert } from "../../src/planner/revert-target.js";
import { formatRemoteOutput } from "../../src/remote/index.js";
import { OBSERVATION_KIND } from "../../src/observe/observation-script.js";
import { loadTopologyFile } from "../../src/topology/index.js";
import { observationText } from "./fake-transport.js";

// apply --confirm-timeout (issue 11, point 3): the revert the controller computes before
// changing a host (planRevert, pure), from recorded observations of the vxlan-demo hosts
// (test/fixtures/converged/vxlan, made in the lab: test/fixtures/README.md), and the scripts
// that arm and disarm it (armed-revert-script.ts). The shell side runs in
// test/e2e/confirm-timeout.test.ts.

const convergedText = (host: string): string =>
  readFileSync(`test/fixtures/converged/vxlan/${host}.txt`, "utf8");
const stateOf = (host: string, text: string): HostState => parseObservation(host, text).state;
const identity = (change: Change): string =>
  `${change.action} ${change.kind} ${change.netns ?? ""} ${change.key}`;
const OWNER = {
  run: "3f2a91c0",
  user: "alice",
  controller: "laptop",
  pid: 4242,
  since: "2026-11-29T20:50:00.000Z",
  verb: "apply",
};

async function vxlanDemo() {
  const loaded = await loadTopologyFile("examples/vxlan.yaml", modes);
  if (!loaded.ok) throw new Error("examples/vxlan.yaml is invalid");
  const compiled = compileTopology(loaded.topology);
  const owner: OwnerScope = { topology: compiled.topology, clusterCidr: compiled.clusterCidr };
  const desiredOf = (host: string): HostState => {
    const found = compiled.hosts.find((h) => h.host === host);
    if (found === undefined) throw new Error(`no ${host}`);
    return found.state;
  };
  const forwardOf = (host: string, text: string): readonly Change[] =>
    planTopology({
      desired: compiled,
      observed: [parseObservation(host, text)],
      against: "hosts",
    }).hosts.find((h) => h.host === host)?.changes ?? [];
  return { owner, desiredOf, forwardOf };
}

describe("planRevert: the revert computed before the apply", () => {
  it("on a fresh host, is the rollback from the converged host as the kernel showed it", async () => {
    const { owner, desiredOf, forwardOf } = await vxlanDemo();
    for (const host of ["node-1", "node-2", "node-3"]) {
      const fresh = observationText({ underlayAddress: "192.168.64.5/24" });
      const before = stateOf(host, fresh);
      const revert = planRevert(owner, before, desiredOf(host), forwardOf(host, fresh));
      const rollback = planRollback(owner, before, stateOf(host, convergedText(host))).changes;
      expect(revert.map(identity)).toEqual(rollback.map(identity));
      expect(revert.length).toBeGreaterThan(3);
    }
  });

  it("on a converged host that the apply does not change, changes nothing", async () => {
    // The kernel's own objects of an owned namespace (lo's address, the local table) are in
    // the observation, never in a desired state: no revert recreates them.
    const { owner, desiredOf, forwardOf } = await vxlanDemo();
    const text = convergedText("node-1");
    expect(forwardOf("node-1", text)).toEqual([]);
    const desired = desiredOf("node-1");
    expect(planRollback(owner, stateOf("node-1", text), desired).changes).not.toEqual([]);
    expect(planRevert(owner, stateOf("node-1", text), desired, [])).toEqual([]);
  });

  it("recreates what the apply removes, with what lived on it", async () => {
    const { owner, desiredOf } = await vxlanDemo();
    const before = stateOf("node-1", convergedText("node-1"));
    const flannel = before.root.links.find((l) => l.name === "flannel.1");
    expect(flannel).toBeDefined();
    // The desired state without flannel.1 (a topology that stopped using vxlan): the apply
    // deletes the device, and the kernel what lived on it.
    const desired = desiredOf("node-1");
    const without: HostState = {
      ...desired,
      root: {
        ...desired.root,
        links: desired.root.links.filter((l) => l.name !== "flannel.1"),
        addresses: desired.root.addresses.filter((a) => a.dev !== "flannel.1"),
        routes: desired.root.routes.filter((r) => r.dev !== "flannel.1"),
        neighbours: desired.root.neighbours.filter((n) => n.dev !== "flannel.1"),
        fdb: desired.root.fdb.filter((f) => f.dev !== "flannel.1"),
      },
    };
    const forward: Change[] = [
      {
        kind: "link",
        action: "delete",
        key: "flannel.1",
        ...(flannel !== undefined && { before: flannel }),
        reason: "",
        disruptive: true,
      },
    ];
    const revert = planRevert(owner, before, without, forward);
    expect(revert.find((c) => c.kind === "link")?.action).toBe("create");
    const onFlannel = revert.filter(
      (c) => c.kind !== "link" && (c.after as { dev?: string } | undefined)?.dev === "flannel.1",
    );
    expect(onFlannel.map((c) => c.kind)).toEqual(expect.arrayContaining(["route", "fdb"]));
  });
});

describe("splitExpressible: what a revert can recreate", () => {
  it("leaves out a removed workload's veth, whose other end is not observed; keeps the rest", async () => {
    const { owner, desiredOf } = await vxlanDemo();
    const before = stateOf("node-1", convergedText("node-1"));
    // A topology without node-1's workload red: the apply deletes red and its veth.
    const desired = desiredOf("node-1");
    const forward = planRollback(owner, before, { ...desired, namespaces: [] }).changes;
    const revert = planRevert(owner, before, { ...desired, namespaces: [] }, forward);
    const { expressible, left } = splitExpressible(revert);
    expect(expressible.map(identity)).toContain("create namespace  red");
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((c) => c.kind === "link" && c.action === "create")).toBe(true);
    expect(() => renderRevertScript(expressible, [])).not.toThrow();
  });
});

describe("the revert script and the arming", () => {
  const revertOf = async () => {
    const { owner, desiredOf, forwardOf } = await vxlanDemo();
    const fresh = observationText({ underlayAddress: "192.168.64.5/24" });
    const before = stateOf("node-1", fresh);
    return renderRevertScript(
      planRevert(owner, before, desiredOf("node-1"), forwardOf("node-1", fresh)),
      [],
    );
  };

  it("runs every line of every step, whatever failed before (a half-applied host)", async () => {
    const script = await revertOf();
    expect(script).toMatch(/^#!\/bin\/sh\n/);
    expect(script).toContain('ip -force -batch - 2>"$nk_err_file" <<\'NK_BATCH_');
    expect(script).toContain("link del dev flannel.1");
    expect(script).toContain("netns del red");
    // No step stops the script: each failure is counted, and the status is the count.
    expect(script).not.toMatch(/\|\| (exit|return)|return "\$nk_rc"/);
    expect(script.trimEnd().endsWith('exit "$nk_failed"')).toBe(true);
  });

  it("arms: writes the revert and the record, starts the timer detached, refuses another run's", async () => {
    const script = renderArmScript({
      owner: OWNER,
      revertScript: await revertOf(),
      timeoutSeconds: 2.5,
    });
    expect(script).toContain("cat >\"$NK_REVERT/revert.sh\" <<'NK_REVERT_SCRIPT'");
    expect(script).toContain("link del dev flannel.1");
    expect(script).toContain('setsid sh "$NK_REVERT/timer.sh" 3 </dev/null >/dev/null 2>&1 &');
    expect(script).toContain("nohup sh");
    expect(script).toContain("NK_RUN='3f2a91c0'");
    expect(script).toMatch(/nk_revert_say held armed\n\s+return 76/);
  });

  it("disarms one run's revert, or anyone's by hand", () => {
    expect(renderDisarmScript("3f2a91c0")).toContain("NK_RUN='3f2a91c0'");
    expect(renderDisarmScript(undefined)).toContain("NK_RUN=''");
    // The atomic step that decides between a confirmation and the timer.
    expect(renderDisarmScript(undefined)).toContain('mv "$NK_REVERT/armed" "$NK_REVERT/disarmed"');
  });

  it("reads what the host said, and an observation names an armed revert", () => {
    const record =
      "run=3f2a91c0\nuser=alice\ncontroller=laptop\npid=4242\nsince=2026-11-29T20:50:00.000Z\n" +
      "verb=apply\ntimeout=60\nfires=1796000060";
    expect(parseRevertReport(`held\n${record}`)).toEqual({
      state: "held",
      record: {
        run: "3f2a91c0",
        user: "alice",
        controller: "laptop",
        pid: 4242,
        since: "2026-11-29T20:50:00.000Z",
        timeoutSeconds: 60,
        fires: 1796000060,
      },
    });
    expect(parseRevertReport("none")).toEqual({ state: "none" });
    const observed = parseObservation(
      "node-1",
      observationText().replace(
        "@@netplan-k:end",
        formatRemoteOutput(OBSERVATION_KIND, [
          { name: "revert", body: `${record}\nnow=1796000048` },
        ])
          .split("\n")
          .slice(1)
          .join("\n"),
      ),
    );
    expect(observed.armedRevert?.fires).toBe(1796000060);
    const plan = planTopology({
      desired: {
        topology: "t",
        clusterCidr: "10.1.0.0/16",
        hosts: [{ host: "node-1", state: emptyHostState() }],
      },
      observed: [observed],
      against: "hosts",
    });
    expect(plan.hosts[0]?.conflicts.map((c) => c.reason)).toEqual([
      "a confirm-timeout revert is armed by alice@laptop (pid 4242, run 3f2a91c0) since " +
        "2026-11-29T20:50:00.000Z; it fires at 00:54:20 UTC (in 12 s) and restores the state " +
        "before that run; wait until it has fired, or keep that run's change: netplan-k disarm " +
        "TOPOLOGY --limit node-1",
    ]);
  });
});
