// The application commands: `/buildx-fix` with the subcommands `diagnose` (options `log`,
// `file`, `lang`; alone it opens a form), `help`, `rules`, `stats` and `auto`, and the message
// context-menu command "Diagnose build log". Descriptions are localised for zh-CN and zh-TW.
// Discord does not allow options next to subcommands, so diagnosing is `/buildx-fix diagnose`.
import { createHash } from "node:crypto";
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  type RESTPutAPIApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from "discord.js";

export const COMMAND_NAME = "buildx-fix";
export const CONTEXT_MENU_NAME = "Diagnose build log";
export const SUBCOMMANDS = { diagnose: "diagnose", help: "help", rules: "rules", stats: "stats", auto: "auto" } as const;
export const OPTIONS = { log: "log", file: "file", lang: "lang", state: "state" } as const;
/** Discord's cap on a string option. Longer logs go in a file. */
export const LOG_OPTION_MAX = 6000;

const zh = (cn: string, tw: string) => ({ "zh-CN": cn, "zh-TW": tw });
const contexts = [InteractionContextType.Guild, InteractionContextType.BotDM];

function slashCommand(): SlashCommandBuilder {
  const command = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription("Diagnose a failed Docker / buildx build log")
    .setDescriptionLocalizations(zh("诊断失败的 Docker / buildx 构建日志", "診斷失敗的 Docker / buildx 建置日誌"))
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  command.addSubcommand((s) =>
    s
      .setName(SUBCOMMANDS.diagnose)
      .setDescription("Diagnose a pasted log or a log file; alone, opens a form to paste it")
      .setDescriptionLocalizations(zh("诊断粘贴的日志或日志文件；不带参数时打开粘贴表单", "診斷貼上的日誌或日誌檔；不帶參數時開啟貼上表單"))
      .addStringOption((o) =>
        o
          .setName(OPTIONS.log)
          .setDescription("The build output (its last part is enough)")
          .setDescriptionLocalizations(zh("构建输出（最后一部分即可）", "建置輸出（最後一部分即可）"))
          .setMaxLength(LOG_OPTION_MAX),
      )
      .addAttachmentOption((o) =>
        o
          .setName(OPTIONS.file)
          .setDescription("The log as a file: .log, .txt or gzip of one")
          .setDescriptionLocalizations(zh("日志文件：.log、.txt 或其 gzip", "日誌檔：.log、.txt 或其 gzip")),
      )
      .addStringOption((o) =>
        o
          .setName(OPTIONS.lang)
          .setDescription("Answer language (default: Chinese when the log or your Discord is)")
          .setDescriptionLocalizations(zh("回答语言（默认：日志或你的 Discord 是中文时用中文）", "回答語言（預設：日誌或你的 Discord 是中文時用中文）"))
          .addChoices({ name: "Automatic", name_localizations: zh("自动", "自動"), value: "auto" }, { name: "English", value: "en" }, { name: "中文", value: "zh" }),
      ),
  );
  command.addSubcommand((s) => s.setName(SUBCOMMANDS.help).setDescription("What buildx-fix does and how to ask it").setDescriptionLocalizations(zh("buildx-fix 的用法", "buildx-fix 的用法")));
  command.addSubcommand((s) => s.setName(SUBCOMMANDS.rules).setDescription("The causes buildx-fix knows").setDescriptionLocalizations(zh("buildx-fix 认识的原因", "buildx-fix 認識的原因")));
  command.addSubcommand((s) =>
    s.setName(SUBCOMMANDS.stats).setDescription("Answers and feedback per cause in this server").setDescriptionLocalizations(zh("本服务器每种原因的回答和反馈", "本伺服器每種原因的回答和回饋")),
  );
  command.addSubcommand((s) =>
    s
      .setName(SUBCOMMANDS.auto)
      .setDescription("Answer pasted logs in this channel by myself (shows the setting without a choice)")
      .setDescriptionLocalizations(zh("本频道是否自动回答贴出的日志（不选则显示当前设置）", "本頻道是否自動回答貼出的日誌（不選則顯示目前設定）"))
      .addStringOption((o) =>
        o
          .setName(OPTIONS.state)
          .setDescription("on or off")
          .setDescriptionLocalizations(zh("开或关", "開或關"))
          .addChoices({ name: "on", value: "on" }, { name: "off", value: "off" }),
      ),
  );
  return command;
}

function contextMenu(): ContextMenuCommandBuilder {
  return new ContextMenuCommandBuilder()
    .setName(CONTEXT_MENU_NAME)
    .setNameLocalizations(zh("诊断构建日志", "診斷建置日誌"))
    .setType(ApplicationCommandType.Message)
    .setContexts(contexts)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
}

/** The body of the PUT that registers every command (it replaces the whole set). */
export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [slashCommand().toJSON(), contextMenu().toJSON()];
}

/** A hash of the definitions: registration is only repeated when it changes. */
export function definitionsHash(defs: RESTPutAPIApplicationCommandsJSONBody = commandDefinitions()): string {
  return createHash("sha256").update(JSON.stringify(defs)).digest("hex").slice(0, 32);
}
