// Graceful shutdown on SIGTERM / SIGINT (docker stop, Kubernetes, Ctrl-C): /readyz turns 503,
// the server stops accepting connections, requests and answers in flight and accepted CI alerts
// get until the deadline to finish, then the adapters and the store are closed and the process
// exits 0. A second signal exits at once.
import type { Server } from "node:http";
import type { Logger } from "pino";
import { inFlight } from "./observe.js";
import type { Readiness } from "./readiness.js";

export interface ShutdownPlan {
  server: Server;
  readiness: Readiness;
  log: Logger;
  /** How long in-flight work may take before connections are cut. */
  timeoutMs: number;
  /** Other work to wait for (CI alerts being delivered). */
  idle: Array<() => Promise<void>>;
  /** Closed after the wait, in order (adapters, then the store). */
  close: Array<{ name: string; run: () => Promise<void> }>;
}

export function shutdownOnSignals(plan: ShutdownPlan): (reason: string) => Promise<void> {
  let started = false;
  const shutdown = async (reason: string) => {
    if (started) return;
    started = true;
    const { server, log } = plan;
    log.info({ reason, answersInFlight: inFlight.size }, "shutting down: finishing the work in flight");
    plan.readiness.drain();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), plan.timeoutMs);
    });
    const finished = Promise.all([closed, inFlight.idle(), ...plan.idle.map((f) => f())]).then(() => "done" as const);
    if ((await Promise.race([finished, deadline])) === "timeout") {
      log.warn({ answersInFlight: inFlight.size, timeoutMs: plan.timeoutMs }, "shutdown deadline reached: cutting the remaining connections");
      server.closeAllConnections();
    }
    clearTimeout(timer);
    for (const step of plan.close) {
      await step.run().catch((err: unknown) => log.warn({ err: String(err) }, `closing ${step.name} failed`));
    }
    log.info("stopped");
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (started) {
        plan.log.warn(`${signal} again: exiting now`);
        process.exit(1);
      }
      void shutdown(signal);
    });
  }
  return shutdown;
}
