import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findTcpRelay } from "../../src/lab/tcp-relay.js";

describe("findTcpRelay", () => {
  let empty: string;
  let withBusybox: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), "zc-relay-"));
    withBusybox = await mkdtemp(join(tmpdir(), "zc-relay-"));
    await writeFile(join(withBusybox, "busybox"), "#!/bin/sh\n");
    await chmod(join(withBusybox, "busybox"), 0o755);
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
    await rm(withBusybox, { recursive: true, force: true });
  });

  it("takes busybox's nc from the first PATH directory that has busybox", async () => {
    expect(await findTcpRelay("/run/lab/tcp-connect.mjs", `${empty}:${withBusybox}`)).toEqual([
      join(withBusybox, "busybox"),
      "nc",
    ]);
  });

  it("falls back to node and the connector script without busybox", async () => {
    expect(await findTcpRelay("/run/lab/tcp-connect.mjs", `${empty}:`)).toEqual([
      process.execPath,
      "/run/lab/tcp-connect.mjs",
    ]);
  });
});
