import type { ManagementPath } from "../model/management-path.js";
import { readEntries } from "./json-entries.js";
import { ObservationError } from "./observation-error.js";

/**
 * The management path from the observation's two SSH sections: `connection`, the value of
 * `$SSH_CONNECTION` ("198.51.100.9 53422 192.0.2.11 22", as sshd sets it), and `route`, the
 * output of `ip -j route get <client> from <server>` (one entry: `dev`, `gateway` when the
 * client is not on a connected subnet, `table` when a rule chose another table than main, and
 * the source as `from`, or `prefsrc` when asked without `from`;
 * test/fixtures/kernel/management-path*). Throws an
 * ObservationError naming the host when either cannot be read.
 */
export function parseManagementPath(
  host: string,
  connection: string,
  route: string,
): ManagementPath {
  const fields = connection.trim().split(/\s+/);
  const [clientAddress, clientPort, serverAddress, serverPort] = fields;
  if (
    fields.length !== 4 ||
    clientAddress === undefined ||
    serverAddress === undefined ||
    !/^\d+$/.test(clientPort ?? "") ||
    !/^\d+$/.test(serverPort ?? "")
  ) {
    throw new ObservationError(
      `${host}: SSH_CONNECTION should be "<client address> <port> <server address> <port>", found ${JSON.stringify(connection.trim())}`,
      { host },
    );
  }
  const command = `ip -j route get ${clientAddress} from ${serverAddress}`;
  try {
    const [entry] = readEntries(JSON.parse(route), command);
    if (entry === undefined) {
      throw new ObservationError(`${command}: printed no route`);
    }
    const src = entry.optionalString("prefsrc") ?? entry.optionalString("from");
    const gateway = entry.optionalString("gateway");
    return {
      clientAddress,
      clientPort: Number(clientPort),
      serverAddress,
      serverPort: Number(serverPort),
      dev: entry.string("dev"),
      ...(src !== undefined && { src }),
      ...(gateway !== undefined && { gateway }),
    };
  } catch (error) {
    throw new ObservationError(`${host}: ${(error as Error).message}`, { cause: error, host });
  }
}
