import { describe, expect, it } from "vitest";
import { textConvergeView } from "../../src/cli/converge-view-text.js";
import type { ConvergeRunEvent } from "../../src/cli/converge-view.js";
import type { Output } from "../../src/cli/output.js";

// The text view of an interrupted apply: where each host was left, and what running the same
// command again will do (issue 11, points 3 and 7).

async function stderrOf(events: readonly ConvergeRunEvent[]): Promise<string[]> {
  const err: string[] = [];
  const output: Output = {
    color: false,
    interactive: false,
    out: () => undefined,
    err: (text) => err.push(text),
  };
  const view = textConvergeView("apply", output);
  for (const event of events) view.show(event);
  await view.close();
  return err;
}

describe("textConvergeView: an interrupted run", () => {
  it("says a re-run finishes the work when no host was left with an armed revert", async () => {
    const err = await stderrOf([
      { kind: "interrupted", hosts: [{ host: "node-1", state: "built", applied: 6 }] },
    ]);
    expect(err[0]).toBe("apply interrupted; where each host was left:");
    expect(err[1]).toMatch(/^ {2}node-1: built \(6 changes ran\)/);
    expect(err.at(-1)).toBe("Run the same command again to finish: it recognises its own work.");
  });

  it("says a host with an armed revert refuses the re-run until it fired or is disarmed", async () => {
    const disarm = "netplan-k disarm t.yaml --limit node-1";
    const err = await stderrOf([
      {
        kind: "interrupted",
        hosts: [
          {
            host: "node-1",
            state: "built",
            applied: 6,
            armedRevert: { firesAtMs: Date.now() + 30_000, disarm },
          },
        ],
      },
    ]);
    expect(err[1]).toContain(`${disarm} keeps the change`);
    expect(err.at(-1)).toMatch(/refuses it until the revert has fired or is disarmed \(above\)\.$/);
  });
});
