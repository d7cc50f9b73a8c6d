import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/transport/index.js";
import { traceTransport } from "../../src/transport/trace-transport.js";
import type { RunOptions, RunResult, Transport } from "../../src/transport/transport.js";

// The --debug line of each round trip, with a fake transport and a fake clock (10 ms a call).

const fake = (answer: (argv: readonly string[], options?: RunOptions) => RunResult): Transport => ({
  host: "node-1",
  run: (argv, options) => Promise.resolve(answer(argv, options)),
  close: () => Promise.resolve(),
});

const traced = (transport: Transport) => {
  const lines: string[] = [];
  let clock = 0;
  return {
    lines,
    transport: traceTransport(
      transport,
      (line) => lines.push(line),
      () => (clock += 10),
    ),
  };
};

describe("traceTransport", () => {
  it("names the host, the run's phase, its duration, exit status and bytes each way", async () => {
    const { lines, transport } = traced(fake(() => ({ exitCode: 0, stdout: "ok\n", stderr: "é" })));
    const result = await transport.run(["sh", "-s"], { stdin: "true\n", phase: "build" });
    expect(result).toEqual({ exitCode: 0, stdout: "ok\n", stderr: "é" });
    expect(lines).toEqual(["debug: node-1 build: 10 ms, exit 0, sent 5 B, received 5 B"]);
  });

  it("without a phase: the kind a netplan-k script names, else the command", async () => {
    const { lines, transport } = traced(fake(() => ({ exitCode: 3, stdout: "", stderr: "" })));
    await transport.run(["sh", "-s"], { stdin: "# netplan-k revert (format 1): POSIX sh\n" });
    await transport.run(["birdc", "show", "protocols", "all"]);
    expect(lines).toEqual([
      "debug: node-1 revert: 10 ms, exit 3, sent 40 B, received 0 B",
      "debug: node-1 birdc show protocols: 10 ms, exit 3, sent 0 B, received 0 B",
    ]);
  });

  it("a run the transport gave up on is reported with the error's code, and the error passes", async () => {
    const failing: Transport = {
      host: "node-1",
      run: () => Promise.reject(new TransportError("transport.timeout", "node-1", "timed out")),
      close: () => Promise.resolve(),
    };
    const { lines, transport } = traced(failing);
    await expect(transport.run(["true"], { phase: "observe" })).rejects.toThrow("timed out");
    expect(lines).toEqual(["debug: node-1 observe: 10 ms, failed (transport.timeout)"]);
  });
});
