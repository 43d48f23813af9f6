// What the Slack adapter says besides the diagnosis itself, in English and Chinese.
import type { Lang } from "../../engine/types.js";

export interface SlackText {
  help: (command: string) => string;
  rulesTitle: (n: number) => string;
  statsTitle: string;
  statsEmpty: string;
  statsRow: (ruleId: string, hits: number, fixed: number, wrong: number) => string;
  autoOn: string;
  autoOff: string;
  autoState: (on: boolean, command: string) => string;
  unknownSubcommand: (word: string, command: string) => string;
  rateLimited: string;
  duplicate: (link: string | undefined, count: number) => string;
  tooLarge: (name: string, size: string, limit: string) => string;
  fileFailed: (name: string, why: string) => string;
  nothingToDiagnose: string;
  mentionHelp: string;
  notALog: (why: string) => string;
  emptyLog: string;
  binaryLog: string;
  notInChannel: string;
  modalTitle: string;
  modalSubmit: string;
  modalClose: string;
  modalLogLabel: string;
  modalLogHint: string;
  modalLangLabel: string;
  langAuto: string;
  fromFile: (names: string) => string;
}

const en: SlackText = {
  help: (c) =>
    [
      "*buildx-fix* reads a failed Docker / `docker buildx` build log and answers with the cause, the command that fixes it and the docs.",
      `• \`${c} <log>\`: diagnose a pasted log (answer posted in the channel)`,
      `• \`${c}\`: open a form to paste a longer log (up to 3 000 characters; longer: upload the file)`,
      "• Paste a log or upload a `.log` / `.txt` / gzip file in a channel I am in: I answer in the thread when I am sure",
      "• Mention me with a log, or in the thread under one",
      "• Message menu → *Diagnose build log*: on any message, e.g. a CI bot's",
      `• \`${c} rules\`: the causes I know · \`${c} stats\`: answers and feedback · \`${c} auto on|off\`: answering pasted logs in this channel`,
    ].join("\n"),
  rulesTitle: (n) => `*The ${n} causes buildx-fix knows*`,
  statsTitle: "*buildx-fix in this workspace* (answers · fixed it · wrong diagnosis, per cause)",
  statsEmpty: "No answers recorded yet.",
  statsRow: (id, h, f, w) => `\`${id}\` · ${h} answer${h === 1 ? "" : "s"} · ✅ ${f} · ❌ ${w}`,
  autoOn: "Pasted build logs in this channel will get an answer in their thread when the cause is certain.",
  autoOff: "I will no longer answer pasted logs in this channel by myself. Mentions, the slash command and the message shortcut still work.",
  autoState: (on, c) => `Answering pasted logs in this channel is *${on ? "on" : "off"}* (\`${c} auto on|off\`).`,
  unknownSubcommand: (w, c) => `\`${w}\` is not something I know; try \`${c} help\`.`,
  rateLimited: "That is a lot of logs in a short time: try again in a minute.",
  duplicate: (link, n) => `Same failure as ${link ? `<${link}|the answer above>` : "the answer above"} (seen ${n} times in the last hour).`,
  tooLarge: (name, size, limit) => `\`${name}\` is ${size}, over the ${limit} limit: upload the last part of the log (the failing step and the ERROR lines).`,
  fileFailed: (name, why) => `I could not read \`${name}\`: ${why}`,
  nothingToDiagnose: "That message has no text or log file to diagnose.",
  mentionHelp: "Mention me together with a build log, or in the thread under one, and I will diagnose it.",
  notALog: (why) => `Nothing to diagnose: ${why}`,
  emptyLog: "the log is empty: paste the output of the failed build.",
  binaryLog: "this looks like a binary file, not a build log: send the log as text (.log or .txt, or gzip of one).",
  notInChannel: "I am not a member of this channel, so only you see this answer. Invite me (`/invite @buildx-fix`) to answer for everyone.",
  modalTitle: "Diagnose a build log",
  modalSubmit: "Diagnose",
  modalClose: "Cancel",
  modalLogLabel: "Build log",
  modalLogHint: "Paste the output of the failed build (up to 3 000 characters). For longer logs upload the file to the channel, or use the message menu → Diagnose build log.",
  modalLangLabel: "Answer in",
  langAuto: "Automatic",
  fromFile: (names) => `from ${names}`,
};

const zh: SlackText = {
  help: (c) =>
    [
      "*buildx-fix* 读取失败的 Docker / `docker buildx` 构建日志，给出原因、修复命令和文档。",
      `• \`${c} <日志>\`：诊断贴出的日志（回答发在频道里）`,
      `• \`${c}\`：打开表单粘贴较长的日志（最多 3000 字符；更长请上传文件）`,
      "• 在我所在的频道贴日志或上传 `.log` / `.txt` / gzip 文件：有把握时我会在该消息的话题里回答",
      "• 带着日志 @我，或在日志下方的话题里 @我",
      "• 消息菜单 → *Diagnose build log*：可用于任何消息，例如 CI 机器人的消息",
      `• \`${c} rules\`：我认识的原因 · \`${c} stats\`：回答和反馈统计 · \`${c} auto on|off\`：本频道是否自动回答贴出的日志`,
    ].join("\n"),
  rulesTitle: (n) => `*buildx-fix 认识的 ${n} 种原因*`,
  statsTitle: "*buildx-fix 在本工作区的统计*（每种原因：回答数 · 已解决 · 诊断不对）",
  statsEmpty: "还没有回答记录。",
  statsRow: (id, h, f, w) => `\`${id}\` · ${h} 次回答 · ✅ ${f} · ❌ ${w}`,
  autoOn: "本频道贴出的构建日志，在原因确定时我会在其话题里回答。",
  autoOff: "我不再主动回答本频道贴出的日志。@我、斜杠命令和消息菜单仍然可用。",
  autoState: (on, c) => `本频道自动回答贴出的日志：*${on ? "开启" : "关闭"}*（\`${c} auto on|off\`）。`,
  unknownSubcommand: (w, c) => `不认识 \`${w}\`，试试 \`${c} help\`。`,
  rateLimited: "短时间内日志太多了，请一分钟后再试。",
  duplicate: (link, n) => `和${link ? `<${link}|上面的回答>` : "上面的回答"}是同一个失败（最近一小时出现 ${n} 次）。`,
  tooLarge: (name, size, limit) => `\`${name}\` 有 ${size}，超过 ${limit} 的上限：请上传日志的最后一部分（失败的步骤和 ERROR 行）。`,
  fileFailed: (name, why) => `无法读取 \`${name}\`：${why}`,
  nothingToDiagnose: "这条消息里没有可以诊断的文字或日志文件。",
  mentionHelp: "@我时带上构建日志，或在日志下方的话题里 @我，我就会诊断。",
  notALog: (why) => `没有可以诊断的内容：${why}`,
  emptyLog: "日志是空的：请贴出失败构建的输出。",
  binaryLog: "这看起来是二进制文件，不是构建日志：请以文本形式发送日志（.log、.txt 或其 gzip）。",
  notInChannel: "我不是这个频道的成员，所以只有你能看到这个回答。邀请我（`/invite @buildx-fix`）后大家都能看到。",
  modalTitle: "诊断构建日志",
  modalSubmit: "诊断",
  modalClose: "取消",
  modalLogLabel: "构建日志",
  modalLogHint: "粘贴失败构建的输出（最多 3000 字符）。更长的日志请上传文件到频道，或使用消息菜单 → Diagnose build log。",
  modalLangLabel: "回答语言",
  langAuto: "自动",
  fromFile: (names) => `来自 ${names}`,
};

export function slackText(lang: Lang): SlackText {
  return lang === "zh" ? zh : en;
}
