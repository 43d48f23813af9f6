// The JSON body of POST /ci/alert.
import { z } from "zod";

const text = (max: number) => z.string().trim().min(1).max(max);

export const TARGET_PATTERN = /^(slack|discord):([A-Za-z0-9]{5,30})$/;

export const alertRequestSchema = z
  .object({
    /** The build log itself. */
    log: z.string().optional(),
    /** Or where the bot fetches it (http/https, size-capped). */
    logUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    repo: text(200).optional(),
    workflow: text(200).optional(),
    job: text(200).optional(),
    branch: text(250).optional(),
    commit: text(64).optional(),
    runUrl: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    title: text(200).optional(),
    target: z.string().regex(TARGET_PATTERN, "must be slack:<channel id> or discord:<channel id>").optional(),
  })
  .refine((a) => (a.log !== undefined && a.log.trim() !== "") || a.logUrl !== undefined, {
    message: "missing log: send the build log as `log` (text) or `logUrl`",
    path: ["log"],
  });

export type AlertRequest = z.infer<typeof alertRequestSchema>;

/** What an alert says about where the failure happened (all optional, all shown when present). */
export type AlertMeta = Omit<AlertRequest, "log" | "logUrl" | "target">;
