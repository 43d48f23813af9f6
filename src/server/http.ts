// The bot's one HTTP server (PORT): GET /healthz (liveness), GET /readyz (readiness, with each
// check), GET /metrics (Prometheus). In Slack's HTTP mode the Slack adapter adds POST
// /slack/events (src/adapters/slack/receiver.ts); CI webhooks add theirs (src/alerts).
// Other parts (the web console) mount their routers through `routers`, or with app.use() on the
// returned app before it listens.
import express, { type Express, type RequestHandler, type Router } from "express";
import type { RuleEngine } from "../engine/engine.js";
import type { BotMetrics } from "../ops/metrics.js";
import { Readiness, baseChecks } from "../ops/readiness.js";
import type { Store } from "../store/store.js";

export interface HttpDeps {
  engine: RuleEngine;
  store: Store;
  mode: string[];
  version: string;
  /** Readiness checks; rules and store are added here, adapters add theirs when they start. */
  readiness?: Readiness;
  /** Serves /metrics and counts refused webhook requests. */
  metrics?: BotMetrics;
  /** Mounted after the built-in endpoints, in this order (e.g. the web console). */
  routers?: Array<Router | RequestHandler>;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // Before any webhook route, so that every refusal is seen whoever answers it.
  if (deps.metrics) app.use(deps.metrics.rejectionCounter());
  app.get("/healthz", (_req, res) => {
    // Still 200 (the process is alive and answering); "degraded" while the store is down.
    res.json({
      status: deps.store.healthy ? "ok" : "degraded",
      version: deps.version,
      rules: deps.engine.rules.length,
      adapters: deps.mode,
      store: deps.store.status(),
    });
  });
  const readiness = deps.readiness ?? new Readiness();
  baseChecks(readiness, deps.engine, deps.store);
  readiness.mount(app);
  deps.metrics?.mount(app);
  for (const r of deps.routers ?? []) app.use(r);
  return app;
}
