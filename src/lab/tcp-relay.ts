import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";

/**
 * The program that joins a TCP stream to its stdin and stdout for ssh's ProxyCommand (and the
 * sshd probe), run inside the lab's controller namespace as `<relay…> <address> <port>`.
 *
 * BusyBox's nc when `busybox` is on PATH (scripts/install-deps.sh installs busybox-static for
 * the lab guests): it is a static binary that starts at once, where node took ~100 ms of CPU
 * to start per connection, and every lab command opens one connection per host (measured
 * under load 10 on 2 cores: `ssh <host> true` 0.4–0.5 s with nc, 1.0–1.5 s with node). Its
 * nc half-closes the socket when stdin ends, so the probe's empty stdin still reads the banner.
 * Otherwise node with the lab's connector script (tcp-connector.ts), which is always there.
 *
 * Takes the connector script's path and the PATH to search; gives the relay's argv prefix.
 */
export async function findTcpRelay(
  connector: string,
  searchPath: string = process.env["PATH"] ?? "",
): Promise<readonly string[]> {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === "") continue;
    const busybox = join(dir, "busybox");
    const executable = await access(busybox, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (executable) return [busybox, "nc"];
  }
  return [process.execPath, connector];
}
