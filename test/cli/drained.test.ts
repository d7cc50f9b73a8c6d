import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { drained } from "../../src/cli/closed-pipe.js";

/** A stream whose reader takes a write only when `release` is called: a slow pipe. */
function slowStream(): { stream: NodeJS.WriteStream; release: () => void } {
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 4,
    write: (_chunk, _encoding, callback) => pending.push(() => callback()),
  });
  const release = (): void => {
    for (const callback of pending.splice(0)) callback();
  };
  return { stream: stream as unknown as NodeJS.WriteStream, release };
}

/** Whether the promise has settled once the current microtasks have run. */
async function isSettled(promise: Promise<void>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("drained: a writer of a huge plan waits for a slow stdout", () => {
  it("resolves at once when nothing waits in the stream", async () => {
    const { stream } = slowStream();
    expect(await isSettled(drained(stream))).toBe(true);
  });

  it("waits while more than the high-water mark is buffered, until the reader took it", async () => {
    const { stream, release } = slowStream();
    stream.write("0123456789");
    const waiting = drained(stream);
    expect(await isSettled(waiting)).toBe(false);
    release();
    expect(await isSettled(waiting)).toBe(true);
  });

  it("stops waiting when the stream is destroyed (a reader that went away)", async () => {
    const { stream } = slowStream();
    stream.write("0123456789");
    const waiting = drained(stream);
    stream.destroy();
    expect(await isSettled(waiting)).toBe(true);
  });
});
