import { connect } from "node:net";

/**
 * Asks an OpenSSH master to terminate through its control socket, speaking the multiplexing
 * protocol (OpenSSH's PROTOCOL.mux, sections 1, 4, 5 and 10) from this process: what `ssh -O exit`
 * does, without starting an ssh process. A spawn blocks node's event loop until the child has
 * exec'd (43 ms a spawn in a 10-host apply at load 10, `node --cpu-prof`), and closing every
 * host's master was one spawn per host at the end of every command.
 *
 * Every message is a uint32 length, then a uint32 type, then its body, big-endian. Both ends
 * send a hello (type, protocol version 4) first; then each request goes once the answer to the
 * one before arrived, as ssh's own client does: an alive check, whose MUX_S_ALIVE carries the
 * master's pid (the master unlinks its socket a moment before its process exits: a test found
 * it alive after its socket had gone, so the caller waits on the pid), then MUX_C_TERMINATE,
 * answered with MUX_S_OK, or a close as the master exits, or MUX_S_PERMISSION_DENIED /
 * MUX_S_FAILURE with a reason.
 */

const MUX_MSG_HELLO = 0x00000001;
const MUX_C_ALIVE_CHECK = 0x10000004;
const MUX_C_TERMINATE = 0x10000005;
const MUX_S_OK = 0x80000001;
const MUX_S_PERMISSION_DENIED = 0x80000002;
const MUX_S_FAILURE = 0x80000003;
const MUX_S_ALIVE = 0x80000005;
const MUX_PROTOCOL_VERSION = 4;
const ALIVE_CHECK_REQUEST_ID = 1;
const TERMINATE_REQUEST_ID = 2;

/** How a terminate request ended. */
export type MuxTerminateOutcome =
  /** The master, whose process id this is, accepted: it unlinks its socket and exits. */
  | { readonly kind: "terminated"; readonly pid: number }
  /** Nothing listens on the socket (no file, or a socket left by a master that died). */
  | { readonly kind: "no-master" }
  /** The master refused, spoke another protocol, or did not answer in time: why. */
  | { readonly kind: "failed"; readonly reason: string };

/** A message of the mux protocol: length, type, then the uint32 fields given. */
function muxMessage(type: number, ...fields: readonly number[]): Buffer {
  const message = Buffer.alloc(8 + 4 * fields.length);
  message.writeUInt32BE(4 + 4 * fields.length, 0);
  message.writeUInt32BE(type, 4);
  fields.forEach((field, index) => message.writeUInt32BE(field, 8 + 4 * index));
  return message;
}

/** The messages complete in `received` (each: its type and body), and the bytes left over. */
function splitMessages(received: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  while (received.length - offset >= 4) {
    const length = received.readUInt32BE(offset);
    if (received.length - offset - 4 < length) break;
    messages.push(received.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return { messages, rest: received.subarray(offset) };
}

/** The reason string of a refusal (type, request id, then an SSH string), as far as it is there. */
function refusalReason(message: Buffer): string {
  if (message.length < 12) return "no reason given";
  const length = message.readUInt32BE(8);
  return message.subarray(12, 12 + length).toString("utf8") || "no reason given";
}

/**
 * Asks the master listening on `socketPath` for its pid (MUX_C_ALIVE_CHECK), then to terminate
 * (MUX_C_TERMINATE), each request once the previous answer arrived, as ssh's own client does;
 * resolves with the outcome and never rejects. `timeoutMs` bounds the whole exchange (a master
 * that accepts the connection but never answers is "failed").
 */
export function terminateMaster(
  socketPath: string,
  timeoutMs: number,
): Promise<MuxTerminateOutcome> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let received: Buffer = Buffer.alloc(0);
    let helloSeen = false;
    let pid: number | undefined;
    const finish = (outcome: MuxTerminateOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: "failed", reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // ENOENT: no socket; ECONNREFUSED: a socket file nobody listens on any more.
      if (error.code === "ENOENT" || error.code === "ECONNREFUSED") finish({ kind: "no-master" });
      else finish({ kind: "failed", reason: error.message });
    });
    socket.on("connect", () => {
      socket.write(muxMessage(MUX_MSG_HELLO, MUX_PROTOCOL_VERSION));
    });
    /** The next step after one message from the master; false once the exchange is over. */
    const step = (message: Buffer): boolean => {
      const type = message.length >= 4 ? message.readUInt32BE(0) : -1;
      if (!helloSeen) {
        const version = message.length >= 8 ? message.readUInt32BE(4) : -1;
        if (type !== MUX_MSG_HELLO || version !== MUX_PROTOCOL_VERSION) {
          finish({ kind: "failed", reason: `unexpected hello (type ${type}, version ${version})` });
          return false;
        }
        helloSeen = true;
        socket.write(muxMessage(MUX_C_ALIVE_CHECK, ALIVE_CHECK_REQUEST_ID));
      } else if (pid === undefined && type === MUX_S_ALIVE && message.length >= 12) {
        pid = message.readUInt32BE(8);
        socket.write(muxMessage(MUX_C_TERMINATE, TERMINATE_REQUEST_ID));
      } else if (pid !== undefined && type === MUX_S_OK) {
        finish({ kind: "terminated", pid });
        return false;
      } else if (type === MUX_S_PERMISSION_DENIED || type === MUX_S_FAILURE) {
        finish({ kind: "failed", reason: refusalReason(message) });
        return false;
      } else {
        finish({ kind: "failed", reason: `unexpected message type ${type}` });
        return false;
      }
      return true;
    };
    socket.on("data", (chunk: Buffer) => {
      const split = splitMessages(Buffer.concat([received, chunk]));
      received = split.rest;
      split.messages.every(step);
    });
    // A master that accepted the request may exit before its answer is written: it closes
    // the connection instead, which `ssh -O exit` takes as done as well (mux.c,
    // mux_client_request_terminate). Before that request, a close is a refusal.
    socket.on("close", () =>
      finish(
        pid !== undefined
          ? { kind: "terminated", pid }
          : { kind: "failed", reason: "the master closed the connection before the request" },
      ),
    );
  });
}
