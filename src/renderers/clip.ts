// Cutting text to a platform's limit without breaking it.

/**
 * Cuts `s` to at most `max` characters, at a line break or space near the end when there is
 * one, never inside a surrogate pair, and marks the cut with an ellipsis.
 */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const soft = Math.max(s.lastIndexOf("\n", end), s.lastIndexOf(" ", end));
  if (soft >= end * 0.8) end = soft;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${s.slice(0, end).trimEnd()}…`;
}
