// "Try it": the log form. The script (assets/console.js) sends it to POST /api/diagnose and
// shows the answer below; without JavaScript the page says that it needs it.
import type { Lang } from "../../engine/types.js";
import { type SafeHtml, html } from "../html.js";
import { strings } from "../i18n.js";

export function tryBody(lang: Lang, maxBytes: number): SafeHtml {
  const w = strings(lang);
  return html`<h1>${w.tryTitle}</h1>
<p>${w.tryIntro}</p>
<form id="try" class="try" data-max-bytes="${maxBytes}" data-working="${w.working}" novalidate>
<div class="drop" id="drop">
<label for="log">${w.logLabel}</label>
<textarea id="log" name="log" rows="14" spellcheck="false" autocapitalize="off" autocomplete="off" aria-describedby="log-hint" required></textarea>
<p id="log-hint" class="hint">${w.logHint}</p>
<p class="file">${w.drop} <label class="button secondary" for="file">${w.choose}</label> <input type="file" id="file" accept=".log,.txt,.gz,text/plain" class="visually-hidden"> <span id="file-name" class="hint"></span></p>
</div>
<p><input type="checkbox" id="share" name="share"> <label for="share">${w.share}</label></p>
<p><button type="submit" id="go">${w.diagnose}</button> <span id="status" role="status" aria-live="polite"></span></p>
</form>
<noscript><p class="error">${w.needsJs} <code>npx buildx-fix diagnose build.log</code></p></noscript>
<div id="result" aria-live="polite"></div>`;
}
