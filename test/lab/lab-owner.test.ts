import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LabError } from "../../src/lab/lab-error.js";
import { checkLabOwner, claimLab } from "../../src/lab/lab-owner.js";

// A lab prefix in use by another topology: the refusal's remedy fits what was refused. The
// owner is recorded in a temp state dir (no namespace is made), as lab up records it.

let dir = "";
let alice = { source: "", name: "alice" };
let bob = { source: "", name: "bob" };
const options = () => ({ stateDir: join(dir, "state") });

async function refusal(doing: "build" | "remove"): Promise<LabError> {
  const error: unknown = await checkLabOwner(bob, "zc1", doing, options()).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(LabError);
  return error as LabError;
}

describe("checkLabOwner: lab zc1, built by alice's file, refused to bob's", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "netplan-k-zc-owner-"));
    alice = { source: join(dir, "alice.yaml"), name: "alice" };
    bob = { source: join(dir, "bob.yaml"), name: "bob" };
    await writeFile(alice.source, "name: alice\n");
    await writeFile(bob.source, "name: bob\n");
    await claimLab(alice, "zc1", options());
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("lab up: points at the owner's lab down, or at another prefix for bob's own lab", async () => {
    const error = await refusal("build");
    expect(error.message).toContain(`lab prefix zc1 is in use by ${alice.source} (topology alice)`);
    expect(error.remedy).toContain(`"netplan-k lab down ${alice.source}"`);
    expect(error.remedy).toContain(`set lab.prefix in ${bob.source}`);
    expect(error.remedy).toContain(`netplan-k lab up ${bob.source} --prefix <another>`);
  });

  it("lab down: points at the owner's file, not at lab up --prefix", async () => {
    const error = await refusal("remove");
    expect(error.message).toContain(`${bob.source} may not remove it`);
    expect(error.remedy).toContain(`"netplan-k lab down ${alice.source}"`);
    expect(error.remedy).not.toContain("lab up");
    expect(error.remedy).not.toContain("--prefix");
  });

  it("the owner's own file is not refused", async () => {
    await expect(checkLabOwner(alice, "zc1", "remove", options())).resolves.toBeUndefined();
  });
});
