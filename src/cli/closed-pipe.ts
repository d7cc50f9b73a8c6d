import { EXIT_CLOSED_PIPE, EXIT_ERROR } from "./exit-codes.js";

/** stdout and stderr once a write to them failed with EPIPE. */
const closedStreams = new Set<NodeJS.WriteStream>();

/**
 * Makes a closed pipe on stdout or stderr (`netplan-k plan | head -1`) end quietly, as it does
 * for any Unix tool. Node ignores SIGPIPE and reports the closed pipe as an EPIPE 'error'
 * event on the stream instead (a tick after the write), which without a listener is an
 * uncaught exception with a stack. From then on, what is written to that stream is dropped
 * (`writeTo`) and the command runs to its end, so that an apply is never cut off half-way
 * through a host; the process then exits 141, or 1 when the command failed. Any other error
 * of the streams stays uncaught, as before.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      closedStreams.add(stream);
    });
  }
  // An 'exit' listener may still change the exit code; the command has set its own by then.
  process.on("exit", (code) => {
    if (closedStreams.size > 0 && code !== EXIT_ERROR) process.exitCode = EXIT_CLOSED_PIPE;
  });
}

/** Writes to stdout or stderr, unless its reader has gone (see endQuietlyOnClosedPipe). */
export function writeTo(stream: NodeJS.WriteStream, text: string): void {
  if (!closedStreams.has(stream)) stream.write(text);
}

/**
 * Resolves once the stream's buffer is below its high-water mark (its 'drain'), or the stream
 * failed or closed; at once when nothing waits in it. Node writes to a pipe asynchronously and
 * keeps whatever is written faster than the reader takes it: a plan of a gigabyte written in
 * one loop was held whole, and the pipe's final writev failed with ENOBUFS.
 */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (closedStreams.has(stream) || !stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      for (const event of ["drain", "error", "close"]) stream.off(event, done);
      resolve();
    };
    for (const event of ["drain", "error", "close"]) stream.on(event, done);
  });
}
