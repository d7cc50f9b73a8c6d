import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { waitForBgp } from "../../src/applier/index.js";
import { answer, bgpPollAnswer, createFakeTransport } from "./fake-transport.js";

// Recorded from BIRD 2.0.12 in nkfx-ap- namespaces (two speakers over a veth, the compiler's
// configuration shape), unedited.
const fixture = (name: string): string => readFileSync(`test/applier/fixtures/${name}`, "utf8");
const connecting = fixture("birdc-show-protocols-connecting.txt");
const partly = fixture("birdc-show-protocols-established.txt");
const established = fixture("birdc-show-protocols-all-established.txt");
const learnedRoutes = fixture("ip-route-learned.json");

const poll = bgpPollAnswer;

describe("waitForBgp", () => {
  it("polls until every session is Established and the blocks are learned", async () => {
    const transport = createFakeTransport("node-a", [
      poll(connecting, "[]"),
      poll(established, "[]"),
      poll(established, learnedRoutes),
    ]);
    const status = await waitForBgp(transport, { sessions: 1, blocks: ["10.244.2.0/24"] }, 5000, {
      pollIntervalMs: 10,
    });
    expect(status.ok).toBe(true);
    expect(status.polls).toBe(3);
    expect(status.problem).toBe("");
    expect(transport.calls).toHaveLength(3);
    expect(transport.calls[0]?.argv).toEqual(["sh", "-s"]);
    expect(transport.calls[0]?.stdin).toContain("birdc show protocols");
  });

  it("gives up after the timeout and says what is missing", async () => {
    const transport = createFakeTransport("node-a", [poll(partly, "[]")]);
    const status = await waitForBgp(transport, { sessions: 2, blocks: ["10.244.2.0/24"] }, 100, {
      pollIntervalMs: 20,
    });
    expect(status.ok).toBe(false);
    expect(status.polls).toBeGreaterThan(1);
    expect(status.polls).toBeLessThan(10);
    expect(status.problem).toBe(
      "peer_node_3 is Connect Socket: No route to host; not learned from BGP: 10.244.2.0/24",
    );
    expect(status.missingBlocks).toEqual(["10.244.2.0/24"]);
  });

  it("counts sessions and notices BIRD not running", async () => {
    const few = await waitForBgp(
      createFakeTransport("node-a", [poll(established, learnedRoutes)]),
      { sessions: 2, blocks: [] },
      0,
    );
    expect(few.problem).toBe("1 BGP sessions configured, expected 2");
    const down = await waitForBgp(
      createFakeTransport("node-a", [
        poll(
          "Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory",
          "[]",
        ),
      ]),
      { sessions: 1, blocks: [] },
      0,
    );
    expect(down.problem).toBe(
      "birdc show protocols lists nothing (Unable to connect to server control socket (/run/bird/bird.ctl): No such file or directory)",
    );
  });

  it("repeats a poll whose answer was cut short, and says where it was cut", async () => {
    const problems: string[] = [];
    const cut = answer(
      "@@netplan-k:bgp-poll:1\n@@netplan-k:section:protocols\nBIRD 2.0.12 ready.\n",
    );
    const status = await waitForBgp(
      createFakeTransport("node-a", [cut, bgpPollAnswer(established, learnedRoutes)]),
      { sessions: 1, blocks: ["10.244.2.0/24"] },
      5000,
      { pollIntervalMs: 10, onPoll: (poll) => problems.push(poll.problem) },
    );
    expect(status.ok).toBe(true);
    expect(status.polls).toBe(2);
    expect(problems[0]).toBe(
      'node-a: bgp-poll output is truncated inside section "protocols" (no "@@netplan-k:end" line); polling again; not learned from BGP: 10.244.2.0/24',
    );
  });
});
