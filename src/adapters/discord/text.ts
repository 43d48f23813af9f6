// What the Discord adapter says besides the diagnosis itself, in English and Chinese.
import type { Lang } from "../../engine/types.js";

export interface DiscordText {
  helpTitle: string;
  help: string[];
  rulesTitle: (n: number) => string;
  statsTitle: string;
  statsEmpty: string;
  statsRow: (ruleId: string, hits: number, fixed: number, wrong: number) => string;
  autoOn: string;
  autoOff: string;
  autoState: (on: boolean) => string;
  autoNoIntent: string;
  autoNeedsPermission: string;
  autoInDm: string;
  rateLimited: string;
  duplicate: (link: string | undefined, count: number) => string;
  tooLarge: (name: string, size: string, limit: string) => string;
  fileFailed: (name: string, why: string) => string;
  notALogFile: (name: string) => string;
  nothingToDiagnose: string;
  mentionHelp: string;
  notALog: (why: string) => string;
  emptyLog: string;
  binaryLog: string;
  answeredBelow: (link: string) => string;
  cannotPost: string;
  modalTitle: string;
  modalLogLabel: string;
  modalLogHint: string;
  modalLogPlaceholder: string;
  modalFileLabel: string;
  modalFileHint: string;
  modalLangLabel: string;
  modalEmpty: string;
  langAuto: string;
  fromFile: (names: string) => string;
  feedbackExpired: string;
  failed: string;
}

const en: DiscordText = {
  helpTitle: "buildx-fix",
  help: [
    "I read a failed Docker / `docker buildx` build log and answer with the cause, the command that fixes it and the docs.",
    "",
    "• `/buildx-fix diagnose log:<text>` or `file:<build.log>`: diagnose a log (the answer is posted in the channel)",
    "• `/buildx-fix diagnose` alone: a form to paste up to 4 000 characters or upload the log file",
    "• **Apps → Diagnose build log** on any message (a teammate's paste, a CI webhook's post, a message with a `.log` file): I reply to that message",
    "• **@mention me** with a log or a `.log` / `.txt` / gzip attachment, or in a reply to a message with the log",
    "• Pasted logs: in channels where auto-detect is on (and I have the Message Content intent) I answer in a thread when I am sure",
    "• `/buildx-fix rules`: the causes I know · `/buildx-fix stats`: answers and feedback in this server · `/buildx-fix auto on|off`: auto-detect in this channel",
  ],
  rulesTitle: (n) => `The ${n} causes buildx-fix knows`,
  statsTitle: "buildx-fix in this server",
  statsEmpty: "No answers recorded yet.",
  statsRow: (id, h, f, w) => `\`${id}\` · ${h} answer${h === 1 ? "" : "s"} · ✅ ${f} · ❌ ${w}`,
  autoOn: "Pasted build logs in this channel will get an answer in a thread when the cause is certain.",
  autoOff: "I will no longer answer pasted logs in this channel by myself. Mentions, `/buildx-fix diagnose` and **Apps → Diagnose build log** still work.",
  autoState: (on) => `Answering pasted logs in this channel is **${on ? "on" : "off"}** (\`/buildx-fix auto on|off\`).`,
  autoNoIntent:
    "This bot runs without the Message Content intent, so it cannot see pasted logs: auto-detect does nothing until the operator enables the intent (DISCORD_MESSAGE_CONTENT=true). Everything else works.",
  autoNeedsPermission: "Changing auto-detect for a channel needs the **Manage Channels** permission.",
  autoInDm: "In a direct message I answer every log you send me; there is nothing to switch.",
  rateLimited: "That is a lot of logs in a short time: try again in a minute.",
  duplicate: (link, n) => `Same failure as ${link ? `[the answer above](${link})` : "the answer above"} (seen ${n} times in the last hour).`,
  tooLarge: (name, size, limit) => `\`${name}\` is ${size}, over the ${limit} limit: send the last part of the log (the failing step and the ERROR lines).`,
  fileFailed: (name, why) => `I could not read \`${name}\`: ${why}`,
  notALogFile: (name) => `\`${name}\` is not a log file: attach a \`.log\` or \`.txt\` file, or gzip of one.`,
  nothingToDiagnose: "That message has no text or log file I can read.",
  mentionHelp:
    "Mention me together with a build log or a `.log` file, or in a reply to the message with the log, and I will diagnose it. On any message, **Apps → Diagnose build log** works too; `/buildx-fix help` lists everything.",
  notALog: (why) => `Nothing to diagnose: ${why}`,
  emptyLog: "the log is empty: paste the output of the failed build.",
  binaryLog: "this looks like a binary file, not a build log: send the log as text (.log or .txt, or gzip of one).",
  answeredBelow: (link) => `Answered: ${link}`,
  cannotPost: "I cannot post in this channel (missing permissions), so only you see this answer.",
  modalTitle: "Diagnose a build log",
  modalLogLabel: "Build log",
  modalLogHint: "The output of the failed build, up to 4 000 characters",
  modalLogPlaceholder: "ERROR: failed to solve: ...",
  modalFileLabel: "Or upload the log file",
  modalFileHint: ".log, .txt or gzip of one",
  modalLangLabel: "Answer in",
  modalEmpty: "Paste a build log or upload the log file, then submit again.",
  langAuto: "Automatic",
  fromFile: (names) => `from ${names}`,
  feedbackExpired: "This answer is too old to take feedback.",
  failed: "Something went wrong while answering; the error was logged.",
};

const zh: DiscordText = {
  helpTitle: "buildx-fix",
  help: [
    "我读取失败的 Docker / `docker buildx` 构建日志，给出原因、修复命令和文档。",
    "",
    "• `/buildx-fix diagnose log:<日志>` 或 `file:<build.log>`：诊断日志（回答发在频道里）",
    "• 只输入 `/buildx-fix diagnose`：打开表单，粘贴最多 4000 字符或上传日志文件",
    "• 在任意消息上 **应用 → Diagnose build log**（同事贴的日志、CI webhook 的消息、带 `.log` 文件的消息）：我会回复那条消息",
    "• 带着日志或 `.log` / `.txt` / gzip 附件 **@我**，或在回复日志消息时 @我",
    "• 贴出的日志：在开启自动检测的频道（且我有 Message Content 权限）里，有把握时我会在子区里回答",
    "• `/buildx-fix rules`：我认识的原因 · `/buildx-fix stats`：本服务器的回答和反馈 · `/buildx-fix auto on|off`：本频道的自动检测",
  ],
  rulesTitle: (n) => `buildx-fix 认识的 ${n} 种原因`,
  statsTitle: "buildx-fix 在本服务器的统计",
  statsEmpty: "还没有回答记录。",
  statsRow: (id, h, f, w) => `\`${id}\` · ${h} 次回答 · ✅ ${f} · ❌ ${w}`,
  autoOn: "本频道贴出的构建日志，在原因确定时我会在子区里回答。",
  autoOff: "我不再主动回答本频道贴出的日志。@我、`/buildx-fix diagnose` 和 **应用 → Diagnose build log** 仍然可用。",
  autoState: (on) => `本频道自动回答贴出的日志：**${on ? "开启" : "关闭"}**（\`/buildx-fix auto on|off\`）。`,
  autoNoIntent: "这个机器人没有 Message Content 权限，看不到贴出的日志：在管理员开启该权限（DISCORD_MESSAGE_CONTENT=true）之前，自动检测不起作用。其他功能都可用。",
  autoNeedsPermission: "修改频道的自动检测需要 **管理频道** 权限。",
  autoInDm: "在私信里，你发给我的每个日志我都会回答，无需开关。",
  rateLimited: "短时间内日志太多了，请一分钟后再试。",
  duplicate: (link, n) => `和${link ? `[上面的回答](${link})` : "上面的回答"}是同一个失败（最近一小时出现 ${n} 次）。`,
  tooLarge: (name, size, limit) => `\`${name}\` 有 ${size}，超过 ${limit} 的上限：请发送日志的最后一部分（失败的步骤和 ERROR 行）。`,
  fileFailed: (name, why) => `无法读取 \`${name}\`：${why}`,
  notALogFile: (name) => `\`${name}\` 不是日志文件：请附上 \`.log\` 或 \`.txt\` 文件，或其 gzip。`,
  nothingToDiagnose: "这条消息里没有我能读取的文字或日志文件。",
  mentionHelp: "@我时带上构建日志或 `.log` 文件，或在回复日志消息时 @我，我就会诊断。也可以在任意消息上使用 **应用 → Diagnose build log**；`/buildx-fix help` 列出所有用法。",
  notALog: (why) => `没有可以诊断的内容：${why}`,
  emptyLog: "日志是空的：请贴出失败构建的输出。",
  binaryLog: "这看起来是二进制文件，不是构建日志：请以文本形式发送日志（.log、.txt 或其 gzip）。",
  answeredBelow: (link) => `已回答：${link}`,
  cannotPost: "我没有在这个频道发言的权限，所以只有你能看到这个回答。",
  modalTitle: "诊断构建日志",
  modalLogLabel: "构建日志",
  modalLogHint: "失败构建的输出，最多 4000 字符",
  modalLogPlaceholder: "ERROR: failed to solve: ...",
  modalFileLabel: "或上传日志文件",
  modalFileHint: ".log、.txt 或其 gzip",
  modalLangLabel: "回答语言",
  modalEmpty: "请粘贴构建日志或上传日志文件后再提交。",
  langAuto: "自动",
  fromFile: (names) => `来自 ${names}`,
  feedbackExpired: "这个回答太旧了，无法再反馈。",
  failed: "回答时出错了，错误已记录。",
};

export function discordText(lang: Lang): DiscordText {
  return lang === "zh" ? zh : en;
}
