// The bot's HTTP server with limits, so slow or idle clients cannot hold it: time to send the
// headers (slow-loris), time for the whole request, idle keep-alive time, headers per
// request, and open connections (over the cap, new sockets are closed at once). Node checks
// the timeouts on a timer; it runs often enough that a timeout takes effect within ~1 s.
import { type IncomingMessage, type RequestListener, type Server, createServer } from "node:http";
import type { Socket } from "node:net";
import type { Config } from "../config/config.js";

export type ServerLimits = Pick<Config, "HTTP_HEADERS_TIMEOUT_MS" | "HTTP_REQUEST_TIMEOUT_MS" | "HTTP_KEEP_ALIVE_TIMEOUT_MS" | "HTTP_MAX_HEADERS" | "HTTP_MAX_CONNECTIONS">;

export function createLimitedServer(app: RequestListener, limits: ServerLimits): Server {
  const headersTimeout = limits.HTTP_HEADERS_TIMEOUT_MS;
  const server = createServer(
    {
      headersTimeout,
      // Node refuses a request timeout shorter than the headers timeout.
      requestTimeout: Math.max(limits.HTTP_REQUEST_TIMEOUT_MS, headersTimeout),
      keepAliveTimeout: limits.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    app,
  );
  server.maxHeadersCount = limits.HTTP_MAX_HEADERS;
  server.maxConnections = limits.HTTP_MAX_CONNECTIONS;
  // Node's headers timeout starts with the first byte: a connection that sends nothing at all
  // would be kept forever. It gets the same time to start its first request.
  server.on("connection", (socket: Socket) => {
    socket.setTimeout(headersTimeout, () => socket.destroy());
  });
  server.on("request", (req: IncomingMessage) => {
    // From here Node's own request, keep-alive and (zero) idle timeouts apply.
    if (!req.socket.destroyed) req.socket.setTimeout(0);
  });
  return server;
}

/** Listens on `port` and `host` with the limits; resolves once it listens. */
export async function listenLimited(app: RequestListener, limits: ServerLimits, port: number, host: string): Promise<Server> {
  const server = createLimitedServer(app, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}
