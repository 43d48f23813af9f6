// The seed field notes (../shared/seed next to the clone, as test/seed.test.ts finds them), or,
// where they are absent, an excerpt of the same kind: Chinese prose around the same error lines.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const SEED_DIR = join(import.meta.dirname, "..", "..", "..", "shared", "seed");

export const SEED_EXCERPT = `# M 芯片上构建懒猫应用镜像遇到的问题

在 Mac 上打包的镜像推到懒猫以后跑不起来：

\`\`\`bash
pg-docker run -p 5000:5500 registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c
WARNING: The requested image's platform (linux/arm64/v8) does not match the detected host platform (linux/amd64/v4) and no specific platform was requested
\`\`\`

在中文目录下执行构建时报错：

characters ERROR: failed to dial qRPC: rpc error:code = Internal desc = rpc error: code = Internal desC = header key "x-docker-expoSe-session-name" contains value with non-printable ASCI #2793

用 docker-container 驱动构建后找不到镜像：

docker buildx build --platform linux/amd64 -t your_image_name .
WARNING: No output specified with docker-container driver. Build result will only remain in the build cache. To push result image into registry use --push or to load image into docker use --load

多平台加 --load：

docker buildx build --platform linux/amd64,linux/arm64 -t cloudsmithy/shuangpin:latest . --load
[+] Building 0.0s (0/0) docker-container:stoic_hellman
ERROR: docker exporter does not currently support exporting manifest lists

在自己电脑上拉懒猫仓库的镜像：

docker run -p 5000:5500 registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c
Unable to find image 'registry.lazycat.cloud/u04123229/you/doudizhu-scorer:d1d9085174c0bf8c' locally
docker: Error response from daemon: Head "https://registry.lazycat.cloud/v2/u04123229/you/doudizhu-scorer/manifests/d1d9085174c0bf8c": no basic auth credentials.
`;

/** The first seed file's text, or the embedded excerpt; `from` says which. */
export function seedLog(): { text: string; from: string } {
  if (existsSync(SEED_DIR)) {
    const first = readdirSync(SEED_DIR).filter((f) => f.endsWith(".txt")).sort()[0];
    if (first) return { text: readFileSync(join(SEED_DIR, first), "utf8"), from: join(SEED_DIR, first) };
  }
  return { text: SEED_EXCERPT, from: "embedded excerpt" };
}
