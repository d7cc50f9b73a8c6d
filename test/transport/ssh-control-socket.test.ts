import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terminateMaster } from "../../src/transport/ssh-control-socket.js";

// The protocol side of closing a master (a real master is closed in ssh-transport.test.ts):
// a fake master on a unix socket answers as PROTOCOL.mux says, or does not.

let dir: string;
const servers: Server[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nk-mux-"));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  await rm(dir, { recursive: true, force: true });
});

const message = (type: number, ...fields: number[]): Buffer => {
  const buffer = Buffer.alloc(8 + 4 * fields.length);
  buffer.writeUInt32BE(4 + 4 * fields.length, 0);
  buffer.writeUInt32BE(type, 4);
  fields.forEach((field, index) => buffer.writeUInt32BE(field, 8 + 4 * index));
  return buffer;
};

const withReason = (type: number, requestId: number, reason: string): Buffer => {
  const text = Buffer.from(reason);
  const buffer = Buffer.alloc(16 + text.length);
  buffer.writeUInt32BE(12 + text.length, 0);
  buffer.writeUInt32BE(type, 4);
  buffer.writeUInt32BE(requestId, 8);
  buffer.writeUInt32BE(text.length, 12);
  text.copy(buffer, 16);
  return buffer;
};

/** A fake master at a fresh path: `answer` gets every byte the client sent so far. */
async function fakeMaster(name: string, answer: (socket: Socket, sent: Buffer) => void) {
  const path = join(dir, name);
  const received: Buffer[] = [];
  const server = createServer((socket) => {
    let sent = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      sent = Buffer.concat([sent, chunk]);
      received.push(chunk);
      answer(socket, sent);
    });
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(path, listening));
  return { path, sent: () => Buffer.concat(received) };
}

const HELLO = message(0x00000001, 4);

describe("terminateMaster", () => {
  it("asks for the pid, then to terminate, each after the answer before; MUX_S_OK ends it", async () => {
    const master = await fakeMaster("ok", (socket, sent) => {
      // The client's hello (12 bytes): the master's hello and, split across two writes as a
      // stream may deliver them, nothing more yet. Its alive check: the pid. Its terminate: OK.
      if (sent.length === 12) {
        socket.write(HELLO.subarray(0, 5));
        setTimeout(() => socket.write(HELLO.subarray(5)), 20);
      }
      if (sent.length === 24) socket.write(message(0x80000005, 1, 4242));
      if (sent.length === 36) socket.write(message(0x80000001, 2));
    });
    expect(await terminateMaster(master.path, 2_000)).toEqual({ kind: "terminated", pid: 4242 });
    expect(master.sent()).toEqual(
      Buffer.concat([HELLO, message(0x10000004, 1), message(0x10000005, 2)]),
    );
  });

  it("takes a close after the terminate request as done, as ssh -O exit does", async () => {
    const master = await fakeMaster("closes", (socket, sent) => {
      if (sent.length === 12) socket.write(HELLO);
      if (sent.length === 24) socket.write(message(0x80000005, 1, 77));
      if (sent.length === 36) socket.end();
    });
    expect(await terminateMaster(master.path, 2_000)).toEqual({ kind: "terminated", pid: 77 });
  });

  it("reports a refusal with the master's reason", async () => {
    const master = await fakeMaster("denied", (socket, sent) => {
      if (sent.length === 12) socket.write(HELLO);
      if (sent.length === 24) socket.write(message(0x80000005, 1, 77));
      if (sent.length === 36) socket.write(withReason(0x80000002, 2, "confirmation declined"));
    });
    expect(await terminateMaster(master.path, 2_000)).toEqual({
      kind: "failed",
      reason: "confirmation declined",
    });
  });

  it("refuses a master that speaks another protocol version", async () => {
    const master = await fakeMaster("v5", (socket) => socket.write(message(0x00000001, 5)));
    expect(await terminateMaster(master.path, 2_000)).toEqual({
      kind: "failed",
      reason: "unexpected hello (type 1, version 5)",
    });
  });

  it("gives up on a master that never answers", async () => {
    const master = await fakeMaster("silent", () => undefined);
    expect(await terminateMaster(master.path, 200)).toEqual({
      kind: "failed",
      reason: "no answer within 200 ms",
    });
  });

  it("finds no master where no socket is", async () => {
    expect(await terminateMaster(join(dir, "absent"), 2_000)).toEqual({ kind: "no-master" });
  });
});
