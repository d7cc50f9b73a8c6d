import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

// -o json cannot ask: it refuses before any host is contacted (the lab of the example is not
// even built here), and writes nothing to stdout, which a pipeline reads as events.
describe("apply and destroy -o json", () => {
  it.each(["apply", "destroy"])(
    "%s refuses without --auto-approve or a saved plan",
    async (verb) => {
      const run = await runCli([verb, "examples/lab-vxlan.yaml", "-o", "json"]);
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(`${verb} -o json cannot ask for confirmation`);
      expect(run.stderr).toContain("--auto-approve");
    },
  );

  it("rejects an output format it does not have", async () => {
    const run = await runCli(["apply", "examples/lab-vxlan.yaml", "-o", "markdown"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Allowed choices are text, json");
  });
});
