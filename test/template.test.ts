import { describe, expect, it } from "vitest";
import { fillTemplate } from "../src/engine/template.js";

describe("fillTemplate", () => {
  it("fills facts, defaults and names the missing ones", () => {
    expect(fillTemplate("push {{image}} to {{registry|docker.io}}", { image: "app:1" })).toBe("push app:1 to docker.io");
    expect(fillTemplate("docker push {{image}}", {})).toBe("docker push <image>");
  });

  it("keeps code quotes for a fact and for a token default, drops them around a prose default", () => {
    const t = "could not connect to `{{host|a remote server}}`; line 1 starts with `{{instruction|FROM}}`";
    expect(fillTemplate(t, { host: "registry.npmjs.org" })).toBe("could not connect to `registry.npmjs.org`; line 1 starts with `FROM`");
    expect(fillTemplate(t, {})).toBe("could not connect to a remote server; line 1 starts with `FROM`");
    expect(fillTemplate("命令 `{{command|（RUN 命令）}}` 失败", {})).toBe("命令 （RUN 命令） 失败");
  });

  it("joins a path BuildKit gives from the context's root to the template's own slash with one slash", () => {
    expect(fillTemplate("ls -la {{context|.}}/{{missingPath|<path>}}", { missingPath: "/narwhal/entry.sh" })).toBe("ls -la ./narwhal/entry.sh");
    expect(fillTemplate("ls -la {{context|.}}/{{missingPath|<path>}}", { missingPath: "src/app.py", context: "/work" })).toBe("ls -la /work/src/app.py");
  });
});
