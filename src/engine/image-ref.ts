// Docker image references: which part is the registry, what is the tag.

/** The registry host of a reference, as Docker decides it: a first component with a dot, a
 * colon or "localhost" is a host; anything else is on Docker Hub. */
export function registryOf(ref: string): string {
  const first = ref.split("/")[0] ?? "";
  if (ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return first;
  return "docker.io";
}

/** Strips the digest and the Docker Hub prefixes people never type. */
export function displayImage(ref: string): string {
  return ref
    .replace(/@sha256:[0-9a-f]+$/i, "")
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/library\//, "")
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "");
}

/** A token that can be an image reference (loose: used only to pick facts, never to judge). */
export const IMAGE_TOKEN = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._\-/]*[a-z0-9](?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/i;
