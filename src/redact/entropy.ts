// Telling a secret value from an ordinary word after a generic keyword (`token: required`,
// `--secret id=npmrc,src=.npmrc`, `API_KEY=${API_KEY}`): placeholders and references are left
// alone; a value is masked when it is long enough and varied enough (Shannon entropy, as
// gitleaks' generic rules do) or mixes letters with digits.

/** Bits per character of `s`. */
export function shannon(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A reference to a secret or an obvious stand-in, not a secret: `$TOKEN`, `${{ secrets.X }}`, `<password>`, `****`, `xxx`. */
export function placeholder(v: string): boolean {
  return (
    /^\$(?:\{\{?[^}]*\}\}?|\(.*\)|\w+)$/.test(v) ||
    /^%\w+%$/.test(v) ||
    /^<[^>]*>$/.test(v) ||
    /^\{\{.*\}\}$/.test(v) ||
    /^([*x.•#-])\1{2,}$/i.test(v) ||
    /^(?:true|false|null|none|nil|undefined|required|optional|yes|no|on|off|changeme|redacted|hidden|masked|\*+)$/i.test(v)
  );
}

export function looksSecret(v: string): boolean {
  if (v.length < 8 || placeholder(v)) return false;
  // A path, a file name or a URL names where a secret is, not the secret.
  if (/^(?:\.{0,2}\/|~\/|[a-z]+:\/\/)/i.test(v) || /^[\w-]+\.(?:txt|json|ya?ml|pem|key|env|cfg|conf|ini|npmrc)$/i.test(v)) return false;
  const mixed = /[a-z]/i.test(v) && /\d/.test(v);
  return shannon(v) >= 3 || (mixed && shannon(v) >= 2.5);
}
