import { TransportError } from "../transport/index.js";

/** A host's failure as one message starting with its name (a TransportError already does). */
export function describeHostError(host: string, error: unknown): string {
  if (error instanceof TransportError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${host}: `) ? message : `${host}: ${message}`;
}
