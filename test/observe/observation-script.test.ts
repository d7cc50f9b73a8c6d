import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { OBSERVATION_SCRIPT } from "../../src/observe/observation-script.js";

describe("OBSERVATION_SCRIPT", () => {
  test("is valid POSIX sh for dash", async () => {
    const { exitCode } = await execa("dash", ["-n"], { input: OBSERVATION_SCRIPT, reject: false });
    expect(exitCode).toBe(0);
  });

  test("takes each listing in the host and with ip -n / bridge -n in each namespace", () => {
    expect(OBSERVATION_SCRIPT).toContain(
      'nk_section "route$nk_suffix" ip "$@" -j route show table all',
    );
    expect(OBSERVATION_SCRIPT).toContain('nk_section "fdb$nk_suffix" bridge "$@" -j fdb show');
    expect(OBSERVATION_SCRIPT).toContain('set -- -n "$1"');
  });

  test("uses no bash-only syntax", () => {
    for (const bashism of [
      "[[",
      "function ",
      "local ",
      "<<<",
      "$'",
      "${!",
      "pipefail",
      "source ",
    ]) {
      expect(OBSERVATION_SCRIPT).not.toContain(bashism);
    }
  });

  test("detects kernel drivers without creating a device or loading a module", () => {
    expect(OBSERVATION_SCRIPT).not.toMatch(/ip link add|ip tunnel add|^[^#]*modprobe (?!-n )/m);
    expect(OBSERVATION_SCRIPT).toContain('modprobe -n -q "$2"');
    for (const driver of ["bridge", "veth", "vxlan", "ipip"]) {
      expect(OBSERVATION_SCRIPT).toMatch(new RegExp(`^  nk_driver ${driver} `, "m"));
    }
  });
});
