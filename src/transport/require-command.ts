/**
 * An empty argv is a bug in the caller, never a host problem; without this guard ssh would
 * open an interactive login shell and `ip netns exec` would print its usage.
 */
export function requireCommand(argv: readonly string[]): void {
  if (argv.length === 0) {
    throw new RangeError("Transport.run needs a command: argv is empty");
  }
}
