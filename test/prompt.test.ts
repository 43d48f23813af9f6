// Shell prompts in a pasted terminal session: which lines start a command, and whether it is Docker's.
import { describe, expect, it } from "vitest";
import { promptRunsDocker } from "../src/engine/prompt.js";

describe("promptRunsDocker", () => {
  it("reads the program behind the common prompt shapes", () => {
    expect(promptRunsDocker("me@box:~/app$ docker compose up -d")).toBe(true);
    expect(promptRunsDocker("[root@centos7 bot]# docker-compose pull")).toBe(true);
    expect(promptRunsDocker("me@MacBook-Pro bot % curl -fsSLO https://example.com/x")).toBe(false);
    expect(promptRunsDocker("C:\\Users\\me\\bot>curl https://example.com/x -o x")).toBe(false);
    expect(promptRunsDocker("PS C:\\Users\\me> docker.exe run -it --rm ubuntu:22.04 bash")).toBe(true);
    expect(promptRunsDocker("(base) me@box:~/bot$ python train.py")).toBe(false);
    expect(promptRunsDocker("bash-5.1# apk add curl")).toBe(false);
  });

  it("finds the program past zsh's git segment, sudo and its flags, wrappers and variables", () => {
    expect(promptRunsDocker("➜  shop git:(main) ✗ docker-compose exec php composer install")).toBe(true);
    expect(promptRunsDocker("me@box:~/shop$ sudo -E docker-compose exec php bash")).toBe(true);
    expect(promptRunsDocker("me@box:~/shop$ DOCKER_BUILDKIT=1 docker build .")).toBe(true);
    expect(promptRunsDocker("$ winpty docker exec -it web bash")).toBeUndefined();
  });

  it("is no prompt: yarn's `$ <script>`, a container's own shell, plain output", () => {
    expect(promptRunsDocker("$ node scripts/fetch-data.js")).toBeUndefined();
    expect(promptRunsDocker("root@3f2a1b9c8d7e:/app# pip install requests")).toBeUndefined();
    expect(promptRunsDocker("❯ Extracting Windows 11 bootdisk...")).toBeUndefined();
    expect(promptRunsDocker("#5 0.123 npm ci")).toBeUndefined();
  });
});
