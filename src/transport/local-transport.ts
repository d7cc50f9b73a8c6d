import { requireCommand } from "./require-command.js";
import { runSubprocess } from "./run-subprocess.js";
import type { Transport } from "./transport.js";

/** This machine, as it is: argv goes straight to execa. */
export function createLocalTransport(host: string): Transport {
  return {
    host,
    async run(argv, options = {}) {
      requireCommand(argv);
      return runSubprocess({ host, argv, label: `"${argv.join(" ")}"` }, options);
    },
    async close() {},
  };
}
