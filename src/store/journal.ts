// A small write-ahead journal on disk for work that was promised to a caller (a CI alert
// answered 202) but not yet done. Each job is written and fsynced before the promise is made,
// marked done when finished (or given up), and what is still pending is handed back at the
// next start, so a restart (a crash, a deploy, a Redis outage that held posts back) loses
// nothing. Append-only JSON lines; emptied whenever nothing is pending, compacted at start.
// Chosen over answering 503: senders such as `curl` in a CI step rarely retry, and an outage
// of the state store must not stop alerts (see README, "State and Redis").
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

type Line<T> = { op: "add"; id: string; job: T } | { op: "done"; id: string };

export class Journal<T> {
  private fd: number;
  private readonly pending = new Set<string>();

  /** Opens (creating) `dir/name.jsonl`; `recovered` holds the jobs a previous run left pending. */
  private constructor(
    readonly path: string,
    readonly recovered: Array<{ id: string; job: T }>,
  ) {
    for (const r of recovered) this.pending.add(r.id);
    this.fd = openSync(path, "a");
  }

  static open<T>(dir: string, name: string): Journal<T> {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name}.jsonl`);
    const left = new Map<string, T>();
    if (existsSync(path)) {
      for (const raw of readFileSync(path, "utf8").split("\n")) {
        if (!raw) continue;
        let line: Line<T>;
        try {
          line = JSON.parse(raw) as Line<T>;
        } catch {
          continue; // a line cut by a crash while it was written: its job was never promised
        }
        if (line.op === "add") left.set(line.id, line.job);
        else left.delete(line.id);
      }
    }
    const recovered = [...left].map(([id, job]) => ({ id, job }));
    // Compacted: only what is still pending, written whole before it replaces the old file.
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, recovered.map((r) => `${JSON.stringify({ op: "add", id: r.id, job: r.job })}\n`).join(""));
    renameSync(tmp, path);
    return new Journal<T>(path, recovered);
  }

  private append(line: Line<T>, sync: boolean): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    if (sync) fsyncSync(this.fd);
  }

  /** Written and on disk when this returns. */
  add(id: string, job: T): void {
    this.append({ op: "add", id, job }, true);
    this.pending.add(id);
  }

  done(id: string): void {
    if (!this.pending.delete(id)) return;
    // Losing a "done" only means one alert posted twice after a crash: no fsync needed.
    if (this.pending.size === 0) ftruncateSync(this.fd, 0);
    else this.append({ op: "done", id }, false);
  }

  get size(): number {
    return this.pending.size;
  }

  close(): void {
    closeSync(this.fd);
  }
}
