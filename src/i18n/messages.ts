// Every fixed phrase the renderers use, in both languages. Rule texts live in the rules.
import type { Lang } from "../engine/types.js";

const en = {
  cause: "Cause",
  fix: "Fix",
  docs: "Docs",
  evidence: "Evidence",
  confidence: "Confidence",
  line: "line",
  alsoFound: "Also found",
  noCause: "No known cause found",
  noCauseBody:
    "None of the rules recognised this failure. Paste the whole output of the failed build (from the command you ran to the last ERROR line), or run the build again with `--progress=plain` and paste that.",
  notDocker: "This does not look like Docker build output, so there is nothing confident to say about it.",
  nextSteps: "Next steps",
  genericSteps: [
    "Run the build again with `--progress=plain` (and `--no-cache` if a cached step hides the output) and paste the full log.",
    "Check the first `ERROR` line and the step just above it: that step's command is what failed.",
    "Run `docker buildx version` and `docker buildx ls` and include their output.",
  ],
  confidenceNames: { high: "high", medium: "medium", low: "low" },
  truncated: "(cut to fit; see the full answer with `buildx-fix diagnose`)",
  unverified: "AI suggestion, not a verified rule",
  rulePage: "About this rule",
} as const;

type Messages = { [K in keyof typeof en]: (typeof en)[K] extends readonly string[] ? readonly string[] : (typeof en)[K] extends string ? string : { [C in keyof (typeof en)[K]]: string } };

const zh: Messages = {
  cause: "原因",
  fix: "解决方法",
  docs: "文档",
  evidence: "日志证据",
  confidence: "置信度",
  line: "第",
  alsoFound: "同时发现",
  noCause: "没有找到已知原因",
  noCauseBody: "规则库没有识别出这次失败。请贴出失败构建的完整输出（从你执行的命令到最后一行 ERROR），或加上 `--progress=plain` 重新构建后再贴。",
  notDocker: "这看起来不是 Docker 构建日志，无法给出可靠的判断。",
  nextSteps: "下一步",
  genericSteps: [
    "加上 `--progress=plain`（如果缓存的步骤隐藏了输出，再加 `--no-cache`）重新构建，并贴出完整日志。",
    "看第一条 `ERROR` 以及它上面的那一步：失败的就是那一步的命令。",
    "执行 `docker buildx version` 和 `docker buildx ls`，把输出一起贴上。",
  ],
  confidenceNames: { high: "高", medium: "中", low: "低" },
  truncated: "（内容过长已截断；用 `buildx-fix diagnose` 查看完整结果）",
  unverified: "AI 建议，未经规则验证",
  rulePage: "规则说明",
};

export function messages(lang: Lang): Messages {
  return lang === "zh" ? zh : en;
}

/** "line 12" / "第 12 行". */
export function lineLabel(lang: Lang, n: number): string {
  return lang === "zh" ? `第 ${n} 行` : `line ${n}`;
}
