/**
 * ssh's ProxyCommand for lab hosts: opens a TCP stream from inside the lab's controller
 * namespace and joins it to stdin/stdout. nc, ncat and socat are often not installed; node is
 * always there, since it runs netplan-k. Written to the state dir by lab up and run as
 * `node tcp-connect.mjs <host> <port>`.
 */
export const TCP_CONNECTOR_SCRIPT = `// netplan-k lab: ssh ProxyCommand, node tcp-connect.mjs <host> <port>
import { connect } from "node:net";
const [host, port] = process.argv.slice(2);
const socket = connect({ host, port: Number(port) });
socket.setNoDelay(true);
socket.on("connect", () => {
  process.stdin.pipe(socket);
  socket.pipe(process.stdout);
});
socket.on("error", (error) => {
  process.stderr.write(\`tcp-connect \${host}:\${port}: \${error.message}\\n\`);
  process.exit(1);
});
socket.on("close", () => process.exit(0));
`;
