// buildx-fix web console: sends the try-it form to POST /api/diagnose and shows the answer,
// copy buttons, the rule filter, and keeps a pasted log across the language switch.
// Plain browser JavaScript, no dependencies; the pages work without it except "Try it".
"use strict";

(function () {
  var lang = document.body.getAttribute("data-lang") || "en";
  var SAVED = "bxf-try";

  // Copy buttons ------------------------------------------------------------------------
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand("copy");
    } finally {
      document.body.removeChild(area);
    }
    return Promise.resolve();
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target instanceof Element ? ev.target.closest("button.copy") : null;
    if (!button) return;
    var code = document.getElementById(button.getAttribute("data-copy") || "");
    if (!code) return;
    var label = button.textContent;
    copyText(code.textContent || "").then(function () {
      button.textContent = button.getAttribute("data-copied") || label;
      setTimeout(function () {
        button.textContent = label;
      }, 2000);
    });
  });

  // Rule filter --------------------------------------------------------------------------
  var q = document.getElementById("q");
  var list = document.getElementById("rule-list");
  var count = document.getElementById("rule-count");
  if (q && list) {
    var filter = function () {
      var words = q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(list.children, function (li) {
        var hay = li.getAttribute("data-search") || "";
        var hit = words.every(function (w) {
          return hay.indexOf(w) !== -1;
        });
        li.hidden = !hit;
        if (hit) shown++;
      });
      if (count) count.textContent = shown ? "" : count.getAttribute("data-none") || "";
    };
    q.addEventListener("input", filter);
    filter();
  }

  // Try it ---------------------------------------------------------------------------------
  var form = document.getElementById("try");
  if (!form) return;
  var textarea = document.getElementById("log");
  var fileInput = document.getElementById("file");
  var fileName = document.getElementById("file-name");
  var drop = document.getElementById("drop");
  var share = document.getElementById("share");
  var status = document.getElementById("status");
  var result = document.getElementById("result");
  var go = document.getElementById("go");
  var maxBytes = Number(form.getAttribute("data-max-bytes")) || 50 * 1024 * 1024;
  /** A gzip file is sent as it is (the server unpacks it); text files go into the text area. */
  var pendingFile = null;
  var answered = false;

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function takeFile(file) {
    if (!file) return;
    fileName.textContent = file.name;
    if (file.size > maxBytes) {
      say(file.name + ": " + Math.round(file.size / 1048576) + " MB > " + Math.round(maxBytes / 1048576) + " MB", true);
      return;
    }
    if (/\.gz$/i.test(file.name)) {
      pendingFile = file;
      textarea.value = "";
      form.requestSubmit();
      return;
    }
    pendingFile = null;
    file.text().then(function (text) {
      textarea.value = text;
      form.requestSubmit();
    });
  }

  fileInput.addEventListener("change", function () {
    takeFile(fileInput.files && fileInput.files[0]);
  });
  ["dragenter", "dragover"].forEach(function (type) {
    drop.addEventListener(type, function (ev) {
      ev.preventDefault();
      drop.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    drop.addEventListener(type, function () {
      drop.classList.remove("over");
    });
  });
  drop.addEventListener("drop", function (ev) {
    ev.preventDefault();
    takeFile(ev.dataTransfer && ev.dataTransfer.files[0]);
  });
  textarea.addEventListener("input", function () {
    pendingFile = null;
    fileName.textContent = "";
  });

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = textarea.value;
    if (!pendingFile && !text.trim()) {
      say(textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent + " ?" : "?", true);
      textarea.focus();
      return;
    }
    var request = pendingFile
      ? fetch("/api/diagnose?lang=" + lang + (share.checked ? "&share=1" : ""), { method: "POST", headers: { "content-type": "application/octet-stream" }, body: pendingFile })
      : fetch("/api/diagnose", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ log: text, lang: lang, share: share.checked }) });
    go.disabled = true;
    say(form.getAttribute("data-working") || "…", false);
    request
      .then(function (res) {
        return res.json().then(function (body) {
          return { ok: res.ok, status: res.status, body: body };
        });
      })
      .then(function (r) {
        if (!r.ok) {
          say("HTTP " + r.status + ": " + (r.body && r.body.error ? r.body.error : ""), true);
          return;
        }
        say("", false);
        // Server-rendered and escaped (src/web/pages/answer.ts): no text of the log is markup.
        result.innerHTML = r.body.html;
        answered = true;
        var heading = result.querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      })
      .catch(function (err) {
        say(String(err), true);
      })
      .then(function () {
        go.disabled = false;
      });
  });

  // The language switch reloads the page: the pasted log comes along, and is answered again.
  var switcher = document.querySelector("[data-switch-lang]");
  if (switcher) {
    switcher.addEventListener("click", function () {
      try {
        sessionStorage.setItem(SAVED, JSON.stringify({ log: textarea.value, answered: answered && !pendingFile }));
      } catch (e) {
        // a log too big for session storage is simply not carried over
      }
    });
  }
  try {
    var saved = JSON.parse(sessionStorage.getItem(SAVED) || "null");
    sessionStorage.removeItem(SAVED);
    if (saved && typeof saved.log === "string") {
      // "Share" is not carried over: the answer in the other language must not count twice.
      textarea.value = saved.log;
      if (saved.answered && saved.log.trim()) form.requestSubmit();
    }
  } catch (e) {
    // nothing saved
  }
})();
