// The login form for the stats when WEB_TOKEN is set: it sets an HttpOnly session cookie.
import type { Lang } from "../../engine/types.js";
import { type SafeHtml, html } from "../html.js";
import { strings } from "../i18n.js";

export function loginPage(lang: Lang, failed: boolean): SafeHtml {
  const w = strings(lang);
  return html`<h1>${w.loginTitle}</h1>
<p>${w.loginIntro}</p>
${failed ? html`<p class="error" role="alert" id="login-error">${w.badToken}</p>` : ""}
<form method="post" action="/login?lang=${lang}" class="login">
<label for="token">${w.token}</label>
<input type="password" id="token" name="token" required autocomplete="current-password"${failed ? html` aria-describedby="login-error" aria-invalid="true"` : ""}>
<button type="submit">${w.signIn}</button>
</form>`;
}
