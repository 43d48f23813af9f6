// From "a CI build failed, here is its log" to one alert in each target channel: diagnose,
// claim the failure (repo + branch + cause fingerprint, per target) in the store, post it with
// retries, or — when the same failure was alerted within the window — count it and say "seen N
// times" with the latest run in the first alert's thread. Claims use Store.add (SET NX in
// Redis), so instances sharing Redis post a failure once. Posting happens after the webhook has
// answered; `idle()` waits for it (shutdown, tests).
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { type AnswerRecord, answerKey } from "../adapters/discord/answer.js";
import type { BotService, Diagnosed } from "../core/bot-service.js";
import type { Lang } from "../engine/types.js";
import { messages } from "../i18n/messages.js";
import type { ChatPoster, PostedAlert } from "./chat.js";
import { slackHeadline, discordHeadline, unreadableLead } from "./render.js";
import { DEFAULT_RETRY, type RetryPolicy, withRetries } from "./retry.js";
import { type AlertRoutes, type Platform, type Target, targetKey } from "./routing.js";
import type { AlertMeta } from "./schema.js";
import { observeDiagnosis } from "../ops/observe.js";
import type { Journal } from "../store/journal.js";

/** What the write-ahead journal keeps of an accepted alert until it is posted. */
export interface JournaledAlert {
  log: string;
  meta: AlertMeta;
  targets: Target[];
}

const DAY = 24 * 60 * 60 * 1000;
/** The most repeats counted within one window (then "seen 1000 times" stays). */
const MAX_COUNT = 1000;

export interface AlertServiceOptions {
  service: BotService;
  log: Logger;
  routes: AlertRoutes;
  posters: Partial<Record<Platform, ChatPoster>>;
  windowMs: number;
  retry?: RetryPolicy;
  /** How long a repeat waits for the first alert to be posted (by this or another instance). */
  firstPostWaitMs?: number;
  /** Accepted alerts are written here before the 202 and replayed after a restart. */
  journal?: Journal<JournaledAlert>;
}

export interface Accepted {
  id: string;
  ruleId: string | null;
  summary: string;
}

/** No channel to send an alert to (nothing configured, or a platform without its token). */
export class UnroutableError extends Error {
  override readonly name = "UnroutableError";
}

export class AlertService {
  private readonly pending = new Set<Promise<void>>();
  private readonly retry: RetryPolicy;

  constructor(private readonly o: AlertServiceOptions) {
    this.retry = o.retry ?? DEFAULT_RETRY;
  }

  get store() {
    return this.o.service.store;
  }

  /** The targets for an alert, refusing what cannot be delivered before anything is accepted. */
  targets(repo: string | undefined, explicit: string | undefined): Target[] {
    const targets = this.o.routes.resolve(repo, explicit);
    if (!targets.length) throw new UnroutableError("no channel for this alert: send `target` (slack:<channel> or discord:<channel>), or configure CI_ALERT_ROUTES, CI_ALERT_SLACK_CHANNEL or CI_ALERT_DISCORD_CHANNEL");
    const missing = targets.find((t) => !this.o.posters[t.platform]);
    if (missing) throw new UnroutableError(`cannot post to ${targetKey(missing)}: ${missing.platform === "slack" ? "SLACK_BOT_TOKEN" : "DISCORD_TOKEN"} is not configured`);
    return targets;
  }

  /** Diagnoses `log` and starts delivering the alert; returns what the webhook answers. */
  async accept(log: string, meta: AlertMeta, targets: Target[]): Promise<Accepted> {
    const started = performance.now();
    const diagnosed = await this.o.service.diagnoseAsync(log);
    observeDiagnosis(diagnosed.result, started);
    const id = randomBytes(9).toString("base64url");
    const top = diagnosed.result.diagnoses[0];
    const t = messages(diagnosed.result.lang);
    // On disk before the caller hears 202 (a failing disk makes this throw: a 500, not a lost alert).
    this.o.journal?.add(id, { log, meta, targets });
    this.background(this.deliverJournaled(id, diagnosed, meta, targets));
    return { id, ruleId: top?.ruleId ?? null, summary: top?.summary ?? (diagnosed.result.dockerLog ? t.noCause : t.notDocker) };
  }

  /** A failed build whose logs could not be read: a short alert instead of silence (once per run). */
  acceptUnreadable(meta: AlertMeta, reason: string, targets: Target[], lang: Lang = "en"): void {
    this.background(
      (async () => {
        for (const target of targets) {
          const poster = this.o.posters[target.platform]!;
          const once = await this.store.add(`ci-alert:unreadable:${targetKey(target)}:${meta.runUrl ?? meta.repo ?? ""}:${meta.job ?? ""}`, true, this.o.windowMs);
          if (!once) continue;
          const head = target.platform === "slack" ? slackHeadline(meta, lang, unreadableLead(lang)) : discordHeadline(meta, lang, unreadableLead(lang));
          await this.post(`unreadable ${targetKey(target)}`, () => poster.postAlert(target.channel, { meta, answerId: "", text: `${head}\n${reason}` }));
        }
      })(),
    );
  }

  /** Delivers the alerts a previous run accepted but had not posted; returns how many. */
  replay(): number {
    const left = this.o.journal?.recovered ?? [];
    for (const { id, job } of left) {
      this.o.log.info({ alert: id, repo: job.meta.repo }, "CI alert accepted before a restart: delivering it now");
      const diagnosed = this.o.service.diagnoseAsync(job.log);
      // A log that cannot be diagnosed now never will be: it leaves the journal either way.
      diagnosed.catch(() => this.o.journal?.done(id));
      this.background(diagnosed.then((d) => this.deliverJournaled(id, d, job.meta, job.targets)));
    }
    return left.length;
  }

  private async deliverJournaled(id: string, diagnosed: Diagnosed, meta: AlertMeta, targets: Target[]): Promise<void> {
    try {
      await this.deliver(id, diagnosed, meta, targets);
    } finally {
      this.o.journal?.done(id);
    }
  }

  /** Resolves when every alert accepted so far has been posted or given up. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Runs `p` in the background; errors are logged; `idle()` waits for it. */
  background(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.o.log.error({ err: (err as Error).message }, "CI alert could not be delivered")).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async post<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetries(fn, this.retry, (err, attempt, waitMs) => this.o.log.warn({ err: (err as Error).message, attempt, waitMs }, `posting CI alert (${what}) failed; retrying`));
  }

  private async deliver(id: string, diagnosed: Diagnosed, meta: AlertMeta, targets: Target[]): Promise<void> {
    const results = await Promise.allSettled(targets.map((t) => this.deliverTo(id, diagnosed, meta, t)));
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") this.o.log.error({ target: targetKey(targets[i]!), err: (r.reason as Error).message, alert: id }, "CI alert could not be posted");
    }
  }

  private async deliverTo(id: string, diagnosed: Diagnosed, meta: AlertMeta, target: Target): Promise<void> {
    const poster = this.o.posters[target.platform]!;
    const { result, fingerprint } = diagnosed;
    const key = `ci-alert:${targetKey(target)}:${meta.repo ?? ""}:${meta.branch ?? ""}:${fingerprint}`;
    const window = this.o.windowMs;
    // The same run alerted twice (a retried webhook, workflow_run and workflow_job both sent) counts once.
    if (meta.runUrl && !(await this.store.add(`${key}:run:${meta.runUrl}:${meta.job ?? ""}`, true, window))) {
      this.o.log.info({ alert: id, target: targetKey(target) }, "CI alert for a run already alerted: skipped");
      return;
    }
    if (await this.store.add(key, { id, at: Date.now() }, window)) {
      const posted = await this.post(targetKey(target), () => poster.postAlert(target.channel, { result, meta, answerId: id }));
      await this.store.set<PostedAlert>(`${key}:posted`, posted, window);
      await this.record(id, diagnosed, posted);
      this.o.log.info({ alert: id, target: targetKey(target), rule: result.diagnoses[0]?.ruleId }, "CI alert posted");
      return;
    }
    const count = await this.countRepeat(key);
    const first = await this.firstPosted(key);
    if (!first) {
      // The first alert never made it (its instance failed to post): better a second full alert than none.
      const posted = await this.post(targetKey(target), () => poster.postAlert(target.channel, { result, meta, answerId: id }));
      await this.store.set<PostedAlert>(`${key}:posted`, posted, window);
      await this.record(id, diagnosed, posted);
      return;
    }
    await this.post(`${targetKey(target)} seen`, () => poster.postSeen(first, meta, count, result.lang));
    this.o.log.info({ alert: id, target: targetKey(target), count }, "CI alert repeated: noted in the first alert's thread");
  }

  /** This repeat's number (the first alert is 1), taken atomically: each number is added once. */
  private async countRepeat(key: string): Promise<number> {
    const hint = (await this.store.get<number>(`${key}:count`)) ?? 1;
    let n = hint + 1;
    while (n < MAX_COUNT && !(await this.store.add(`${key}:n:${n}`, true, this.o.windowMs))) n++;
    await this.store.set(`${key}:count`, n, this.o.windowMs);
    return n;
  }

  private async firstPosted(key: string): Promise<PostedAlert | undefined> {
    const deadline = Date.now() + (this.o.firstPostWaitMs ?? 60_000);
    for (let wait = 50; ; wait = Math.min(wait * 2, 2000)) {
      const posted = await this.store.get<PostedAlert>(`${key}:posted`);
      if (posted || Date.now() > deadline) return posted;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /** Stats, and what the feedback buttons need (Discord keeps the answer's rule and workspace). */
  private async record(id: string, diagnosed: Diagnosed, posted: PostedAlert): Promise<void> {
    const top = diagnosed.result.diagnoses[0];
    if (!top) return;
    const workspace = posted.workspace ?? `${posted.platform}:channel:${posted.channel}`;
    if (posted.platform === "discord") await this.store.set<AnswerRecord>(answerKey(id), { workspace, ruleId: top.ruleId, lang: diagnosed.result.lang }, 90 * DAY);
    await this.o.service.recordAnswer(workspace, id, diagnosed);
  }
}
