import { expect } from "vitest";
import { describeRun, expectExit, type CommandRun, type LabScenario } from "./lab-scenario.js";

/**
 * Runs `verify` on a dual-stack lab and expects it to pass with `paths` of `paths` reachable
 * in its IPv4 matrix and in its IPv6 one, and no failed line. Gives the run, for checks of
 * its own (BGP sessions).
 */
export async function expectEveryPairBothFamilies(
  scenario: LabScenario,
  paths: number,
): Promise<CommandRun> {
  const verify = await scenario.cli(["verify"]);
  expectExit(verify, 0);
  const [v4 = "", v6 = ""] = verify.stdout.split("IPv6:\n");
  expect(v4, describeRun(verify)).toContain("IPv4:\n");
  expect(v4, describeRun(verify)).toContain(`${paths} of ${paths} paths reachable`);
  expect(v6, describeRun(verify)).toContain(`${paths} of ${paths} paths reachable`);
  expect(verify.stdout, describeRun(verify)).not.toContain("✗");
  return verify;
}

/**
 * Runs `verify` on an IPv6-only lab and expects it to pass with `paths` of `paths` reachable
 * in its one matrix, IPv6's (no IPv4 matrix printed), and no failed line. Gives the run.
 */
export async function expectEveryPairIpv6Only(
  scenario: LabScenario,
  paths: number,
): Promise<CommandRun> {
  const verify = await scenario.cli(["verify"]);
  expectExit(verify, 0);
  expect(verify.stdout, describeRun(verify)).toContain("IPv6:\n");
  expect(verify.stdout, describeRun(verify)).not.toContain("IPv4:");
  expect(verify.stdout, describeRun(verify)).toContain(`${paths} of ${paths} paths reachable`);
  expect(verify.stdout, describeRun(verify)).not.toContain("✗");
  return verify;
}
