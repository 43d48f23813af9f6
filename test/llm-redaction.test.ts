// No secret leaves the machine: a corpus of secret-bearing logs goes through BotService.answer
// to the fake OpenAI-compatible server, and not one secret may appear in any request body,
// while the lines around them still do (masked), so the test cannot pass by sending nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BotService } from "../src/core/bot-service.js";
import { LlmFallback } from "../src/llm/fallback.js";
import { MASK, redact } from "../src/redact/secrets.js";
import { Store } from "../src/store/store.js";
import { FakeOpenAI, answerContent, llmConfigFor } from "./helpers/fake-openai.js";
import { builtinEngine } from "./helpers/engine.js";

/** The failure every case ends in: one no rule knows. */
const FAILURE = [
  "#8 exporting to image",
  "#8 exporting layers",
  "#8 ERROR: failed to write image layer: zstd: frame checksum mismatch in layer sha256:1234abcd1234abcd",
  "ERROR: failed to solve: failed to write image layer: zstd: frame checksum mismatch",
];

function log(...lines: string[]): string {
  return ["docker buildx build -t acme/api:1.2 .", "#1 [internal] load build definition from Dockerfile", ...lines, ...FAILURE].join("\n");
}

const words = (n: number, w: string) => Array.from({ length: n }, () => w).join(" ");

interface Case {
  name: string;
  log: string;
  secrets: string[];
  /** Text around the secret that must reach the model, proving the line was sent (masked). */
  sent: string[];
}

const GHP = "ghp_R2D2c3po4R2D2c3po4R2D2c3po4R2D2AbCd";
const JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaS1ib3QiLCJpYXQiOjE3MDAwMDAwMDB9.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk";

const CORPUS: Case[] = [
  {
    name: "GitHub tokens (classic and fine-grained)",
    log: log(`#6 0.2 + git clone https://${GHP}@github.com/acme/private.git`, "#6 0.3 warning: GITHUB_PAT github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV failed to refresh"),
    secrets: [GHP, "R2D2c3po4R2D2c3po4R2D2c3po4R2D2AbCd", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"],
    sent: ["git clone https://****@github.com/acme/private.git", "GITHUB_PAT **** failed to refresh"],
  },
  {
    name: "Slack tokens",
    log: log("#6 0.4 notify failed: posting with xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "#6 0.5 notify failed: user token xoxp-123456789012-123456789012-123456789012-0123456789abcdef0123456789abcdef", "#6 0.6 notify failed: refresh xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA"),
    secrets: ["xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "0123456789abcdef0123456789abcdef", "Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA"],
    sent: ["notify failed: posting with ****"],
  },
  {
    name: "npm tokens",
    log: log("#6 0.7 npm warn config //registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 is invalid", "#6 0.8 failed: //npm.acme.dev/:_authToken=12345678-aaaa-bbbb-cccc-1234567890ab"),
    secrets: ["npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "12345678-aaaa-bbbb-cccc-1234567890ab"],
    sent: ["_authToken=**** is invalid"],
  },
  {
    name: "Docker Hub personal and organisation access tokens",
    log: log("#6 0.9 echo dckr_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0 | docker login -u acme --password-stdin failed", "#6 1.0 failed with DOCKERHUB_ORG_TOKEN dckr_oat_ZyXwVuTsRqPoNmLkJiHgFeDcBa9"),
    secrets: ["dckr_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0", "dckr_oat_ZyXwVuTsRqPoNmLkJiHgFeDcBa9"],
    sent: ["echo **** | docker login -u acme --password-stdin failed"],
  },
  {
    name: "AWS keys",
    log: log("#6 1.1 error: AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE rejected", "#6 1.2 error: aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "#6 1.3 failed: role ASIAY34FZKBOKMUTVV7A expired"),
    secrets: ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ASIAY34FZKBOKMUTVV7A"],
    sent: ["AWS_ACCESS_KEY_ID=**** rejected", "failed: role **** expired"],
  },
  {
    name: "JWTs and Authorization headers",
    log: log(
      `#6 1.4 curl: (22) failed: -H "Authorization: Bearer ${JWT}"`,
      "#6 1.5 error: Proxy-Authorization: Basic dXNlcjpwYXNzd29yZDEyMw==",
      `#6 1.6 failed GET https://api.acme.dev/v1/me?jwt=${JWT}`,
      "#6 1.7 error: authorization: token 0123456789abcdef0123456789abcdef01234567",
    ),
    secrets: [JWT, "dXNlcjpwYXNzd29yZDEyMw==", "0123456789abcdef0123456789abcdef01234567"],
    sent: ['Authorization: Bearer ****"', "Proxy-Authorization: Basic ****"],
  },
  {
    name: "a private key, whole and as a body without its BEGIN line",
    log: log(
      "#6 1.8 error: wrote deploy key:",
      "-----BEGIN RSA PRIVATE KEY-----",
      "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF",
      "Y8ViJHrCBS+Ywhn3o2Cqh+Y0oDhA8Qx9bRgFPVCdQzV2yI9kZ8aRsZnF0xkQ3yWb",
      "-----END RSA PRIVATE KEY-----",
      "#6 1.9 failed to parse key, second copy follows",
      "#6 1.9 b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
      "#6 1.9 QyNTUxOQAAACDqW1gDXu8pAg6hW1ZMm7Sq2yR0xC4RBb6w2gk3VfU3cQAAAJgAAAAAAAAA",
    ),
    secrets: ["MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn", "Y8ViJHrCBS+Ywhn3o2Cqh", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", "QyNTUxOQAAACDqW1gDXu8pAg6hW1ZMm7Sq2yR0xC4RBb6w2gk3VfU3cQ"],
    sent: ["wrote deploy key:", "failed to parse key, second copy follows"],
  },
  {
    name: "docker login passwords",
    log: log(
      "#6 2.0 + docker login -u ci -p S3cr3t-Pa55word registry.acme.dev failed",
      "#6 2.1 + docker login --username ci --password=hunter2hunter2 ghcr.io failed",
      '#6 2.2 + docker login -u ci --password "two words secret" registry.acme.dev failed',
      "2024-05-01T10:00:00.1234567Z ##[command]docker login -u bot -p GhActionsPass99 failed",
    ),
    secrets: ["S3cr3t-Pa55word", "hunter2hunter2", "two words secret", "GhActionsPass99"],
    sent: ["docker login -u ci -p **** registry.acme.dev failed", "docker login -u bot -p **** failed"],
  },
  {
    name: "Cookie headers",
    log: log("#6 2.3 error: Cookie: session=abc123def456ghi789; csrftoken=xyz789abc", "#6 2.4 failed: Set-Cookie: auth_session=s%3AQWERTYuiop1234; Path=/; HttpOnly"),
    secrets: ["abc123def456ghi789", "xyz789abc", "QWERTYuiop1234"],
    sent: ["Cookie: ****"],
  },
  {
    name: "credentials in URLs",
    log: log(
      "#6 2.5 fatal: unable to access https://deploy:Tr0ub4dor3xyz@git.acme.dev/app.git",
      "#6 2.6 error: cannot connect to redis://:redispass123@cache.internal:6379/0",
      "#6 2.7 error: pull failed from https://oauth2:glpat-AbCdEfGhIjKlMnOpQrSt@gitlab.com/acme/app.git",
    ),
    secrets: ["Tr0ub4dor3xyz", "redispass123", "glpat-AbCdEfGhIjKlMnOpQrSt"],
    sent: ["https://deploy:****@git.acme.dev/app.git", "redis://:****@cache.internal"],
  },
  {
    name: "password=, secret= and token= assignments",
    log: log(
      "#6 2.8 failed: --build-arg DB_PASSWORD=correct-horse-battery --build-arg CLIENT_SECRET=cl13nt-s3cr3t-v4lue",
      '#6 2.9 error in config: {"api_token": "tok-0f9e8d7c6b5a", "client_secret":"another-s3cret-here"}',
      "#6 3.0 error: GET https://hooks.acme.dev/x?access_token=abcdef123456ghijkl failed",
      "#6 3.1 failed: OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123",
      '#6 3.2 error: {"auths":{"ghcr.io":{"auth":"dXNlcjpnaHBfc2VjcmV0dmFsdWU="}}}',
    ),
    secrets: ["correct-horse-battery", "cl13nt-s3cr3t-v4lue", "tok-0f9e8d7c6b5a", "another-s3cret-here", "abcdef123456ghijkl", "sk-proj-AbCdEfGhIjKlMnOpQrStUvWx0123", "dXNlcjpnaHBfc2VjcmV0dmFsdWU="],
    sent: ["DB_PASSWORD=****", "access_token=****"],
  },
  {
    name: "secrets in long lines, at and around the cut",
    log: log(
      ...[20, 100, 150, 190, 196, 200, 204, 380, 2000].map((at) => `#6 3.3 error: ${"x".repeat(at)} token ${GHP} after ${words(300, "yy")}`),
      `#6 3.4 error: ${words(3000, "zz")} password=Hunter2Hunter2Long ${words(3000, "zz")}`,
      `#6 3.5 error: password=HeadOfAHugeLine ${words(10_000, "ww")} secret=TailOfAHugeLine`,
    ),
    secrets: [GHP, "R2D2c3po4R2D2c3po4R2D2c3po4R2D2AbCd", "Hunter2Hunter2Long", "HeadOfAHugeLine", "TailOfAHugeLine"],
    sent: [" … ", "error: password=**** ww ww", "ww ww secret=****", `error: ${"x".repeat(20)} token **** after`],
  },
  {
    name: "secrets in the failing step and the command line",
    log: [
      "docker buildx build --build-arg NPM_TOKEN=npm_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ --secret id=gh,env=GH -t acme/api:1.2 .",
      '#7 [build 3/6] RUN curl -fsSL -H "Authorization: token ghp_StepStepStepStepStepStepStepStep1234" https://api.github.com/repos/acme/x',
      ...FAILURE,
    ].join("\n"),
    secrets: ["npm_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", "ghp_StepStepStepStepStepStepStepStep1234"],
    sent: ['Failing step: RUN curl -fsSL -H "Authorization: token ****"', "--build-arg NPM_TOKEN=****"],
  },
];

const engine = builtinEngine();
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await FakeOpenAI.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe("what is sent to the model", () => {
  it.each(CORPUS)("holds no secret: $name", async (c) => {
    const service = new BotService(engine, Store.create(undefined), new LlmFallback({ config: llmConfigFor(fake) }));
    fake.script({ content: answerContent() });
    const { result } = await service.answer(c.log);
    // The fallback did run: a question went out and its answer came back.
    expect(result.source).toBe("llm");
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    const sent = fake.sentText();
    for (const secret of c.secrets) {
      expect(req.raw).not.toContain(secret);
      expect(sent).not.toContain(secret);
      expect(JSON.stringify(req.headers)).not.toContain(secret);
    }
    for (const s of c.sent) expect(sent).toContain(s);
    expect(sent).toContain(MASK);
  });

  it("covers every secret in the corpus with the chat replies' masking too", () => {
    for (const c of CORPUS) {
      const masked = redact(c.log);
      for (const secret of c.secrets) expect(masked, c.name).not.toContain(secret);
    }
  });

  it("masks secrets the model writes back", async () => {
    const service = new BotService(engine, Store.create(undefined), new LlmFallback({ config: llmConfigFor(fake) }));
    fake.script({
      content: answerContent({
        summary: "Log in again with password=EchoedPassw0rd first.",
        fix: [{ description: "Log in with ghp_EchoEchoEchoEchoEchoEchoEchoEcho1234", command: "docker login -u ci -p EchoedPassw0rd ghcr.io" }],
      }),
    });
    // The image's registry is in the log, so the model may name it in a command.
    const d = (await service.answer(log("#6 0.1 noise").replace("acme/api:1.2", "ghcr.io/acme/api:1.2"))).result.diagnoses[0]!;
    expect(JSON.stringify(d)).not.toContain("EchoedPassw0rd");
    expect(JSON.stringify(d)).not.toContain("ghp_EchoEcho");
    expect(d.fix[0]!.command).toBe("docker login -u ci -p **** ghcr.io");
  });
});

describe("the masking leaves build output alone", () => {
  it.each([
    "/var/lib/docker/tmp/GetImageBlob397023106",
    "#5 0.123 /home/runner/work/AcmeApp/AcmeApp/build/Release2024",
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "#12 [builder 4/9] RUN go mod download",
    "ERROR: failed to solve: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1",
    "npm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fui - Not found",
  ])("%s", (line) => {
    expect(redact(line)).toBe(line);
  });
});
