import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

// -o json cannot ask: it refuses before any host is contacted (the lab of the example is not
// even built here), and stdout holds only JSON: the refusal as one {errors} object with its
// code (docs/events-json.md), no event.
describe("apply and destroy -o json", () => {
  it.each(["apply", "destroy"])(
    "%s refuses without --auto-approve or a saved plan",
    async (verb) => {
      const run = await runCli([verb, "examples/lab-vxlan.yaml", "-o", "json"]);
      expect(run.exitCode).toBe(1);
      const { errors } = JSON.parse(run.stdout) as {
        errors: { code: string; message: string; hint: string }[];
      };
      expect(errors).toHaveLength(1);
      expect(errors[0]?.code).toBe("cli.usage");
      expect(errors[0]?.message).toBe(
        `${verb} -o json cannot ask for confirmation, so nothing was changed`,
      );
      expect(errors[0]?.hint).toContain("--auto-approve");
    },
  );

  it("rejects an output format it does not have", async () => {
    const run = await runCli(["apply", "examples/lab-vxlan.yaml", "-o", "markdown"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Allowed choices are text, json");
  });
});
