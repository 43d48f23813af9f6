// The bot's one HTTP server (PORT): GET /healthz; in Slack's HTTP mode the Slack adapter adds
// POST /slack/events (src/adapters/slack/receiver.ts); CI webhooks and the console will mount
// their routes on the same app.
import express, { type Express } from "express";
import type { RuleEngine } from "../engine/engine.js";
import type { Store } from "../store/store.js";

export interface HttpDeps {
  engine: RuleEngine;
  store: Store;
  mode: string[];
  version: string;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");
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
  return app;
}
