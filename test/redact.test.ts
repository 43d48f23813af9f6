import { describe, expect, it } from "vitest";
import { MASK, redact } from "../src/redact/secrets.js";

const SECRETS: Array<[string, string]> = [
  ["docker login -u bob -p s3cr3tPassw0rd registry.example.com", "s3cr3tPassw0rd"],
  ["docker login --password=hunter2hunter2 ghcr.io", "hunter2hunter2"],
  ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2ln", "eyJhbGciOiJIUzI1NiJ9"],
  ["authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="],
  ["Cookie: session=abcdef0123456789", "abcdef0123456789"],
  ["git clone https://oauth2:glpat-abcdefghijkl@gitlab.com/x/y.git", "glpat-abcdefghijkl"],
  // (a path cleaning collapsed the URL's `//`: BuildKit's Dockerfile path under a Git context)
  ["open /var/lib/docker/tmp/buildkit-mount1/https:/deploy:s3cr3tPassw0rd@git.example.com/org/app.git/Dockerfile: no such file", "s3cr3tPassw0rd"],
  ["token ghp_0123456789abcdefghijABCDEFGHIJ012345 leaked", "ghp_0123456789abcdefghijABCDEFGHIJ012345"],
  ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"],
  ["SLACK=xoxb-1234567890-1234567890-abcdefghijklmnopqrstuvwx", "xoxb-1234567890-1234567890-abcdefghijklmnopqrstuvwx"],
  ["//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789", "npm_abcdefghijklmnopqrstuvwxyz0123456789"],
  ["DOCKERHUB_TOKEN dckr_pat_abcdefghijklmnopqrstuvwx12", "dckr_pat_abcdefghijklmnopqrstuvwx12"],
  ["aws_access_key_id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"],
  ["DISCORD_TOKEN is MTA1234567890123456789012.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB", "MTA1234567890123456789012.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"],
  ["--build-arg DB_PASSWORD=correct-horse-battery", "correct-horse-battery"],
  ["-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAA"],
];

describe("redact", () => {
  it.each(SECRETS)("masks %s", (line, secret) => {
    const out = redact(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(MASK);
  });

  it("leaves ordinary build output alone", () => {
    for (const line of [
      "docker run -p 5000:5500 registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c",
      'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
      "#5 [internal] load metadata for docker.io/library/node:20-alpine",
      "echo $DOCKER_PASSWORD | docker login -u bob --password-stdin",
      "pull access denied for acme/api, repository does not exist or may require authorization: server message: insufficient_scope",
    ]) {
      expect(redact(line)).toBe(line);
    }
  });
});
