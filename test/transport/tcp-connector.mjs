// A netcat stand-in for the tests' ssh ProxyCommand (`tcp-connector.mjs <host> <port>`): this
// machine has no nc, ncat or socat. It copies stdin to one TCP connection and the connection to
// stdout; a failed connect is reported on stderr with exit 1, as nc would.
import { connect } from "node:net";

const [host, port] = process.argv.slice(2);
const socket = connect(Number(port), host);
socket.on("connect", () => {
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
});
socket.on("error", (error) => {
  process.stderr.write(`tcp-connector: ${host} port ${port}: ${error.message}\n`);
  process.exit(1);
});
socket.on("close", () => process.exit(0));
