// The page shell every console page shares: language, landmarks, navigation, the language
// switch, one stylesheet and one script from /assets (nothing inline: the CSP forbids it).
import type { Request } from "express";
import type { Lang } from "../engine/types.js";
import { type SafeHtml, html } from "./html.js";
import { strings } from "./i18n.js";

export type Section = "try" | "rules" | "stats";

export interface PageOptions {
  lang: Lang;
  title: string;
  section?: Section;
  body: SafeHtml;
  /** Shown in the header when the visitor signed in with WEB_TOKEN. */
  signedIn?: boolean;
}

/** The same URL in the other language (other query parameters kept). */
export function switchLangHref(req: Request, lang: Lang): string {
  const url = new URL(req.originalUrl, "http://x");
  url.searchParams.set("lang", lang);
  return `${url.pathname}${url.search}`;
}

/** A console link that keeps the page language. */
export function href(path: string, lang: Lang): string {
  return `${path}${path.includes("?") ? "&" : "?"}lang=${lang}`;
}

export function page(req: Request, o: PageOptions): string {
  const t = strings(o.lang);
  const nav = (["try", "rules", "stats"] as const).map((s) => {
    const path = s === "try" ? "/" : `/${s}`;
    return html`<li><a href="${href(path, o.lang)}"${o.section === s ? html` aria-current="page"` : ""}>${t.nav[s]}</a></li>`;
  });
  const other = t.switchLang as Lang;
  return html`<!doctype html>
<html lang="${o.lang === "zh" ? "zh-CN" : "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · buildx-fix</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body data-lang="${o.lang}">
<a class="skip" href="#main">${t.skip}</a>
<header class="top">
<a class="brand" href="${href("/", o.lang)}">buildx-fix</a>
<nav aria-label="buildx-fix"><ul>${nav}</ul></nav>
<div class="tools">
${o.signedIn ? html`<form method="post" action="/logout"><button type="submit" class="link">${t.signOut}</button></form>` : ""}
<a class="lang" href="${switchLangHref(req, other)}" hreflang="${other === "zh" ? "zh-CN" : "en"}" lang="${other === "zh" ? "zh-CN" : "en"}" data-switch-lang="${other}">${t.switchTo}</a>
</div>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
</body>
</html>
`.value;
}
