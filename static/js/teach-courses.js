// Module editor niceties: a live server-side preview, Tab to indent, Ctrl+S to save.
// Everything works without this file: the "Preview" button posts the form instead.
"use strict";
(() => {
  const DELAY_MS = 500;
  const INDENT = "    ";

  function setup() {
    const form = document.getElementById("module-form");
    const editor = form && form.querySelector("textarea[data-markdown-editor]");
    const body = document.getElementById("preview-body");
    if (!form || !editor || !body) {
      return;
    }
    const status = document.getElementById("preview-status");
    const problemsBox = document.getElementById("markdown-live-problems");
    const token = form.querySelector("input[name=csrf_token]");
    const url = body.dataset.previewUrl;
    let timer = null;
    let latest = 0;

    function showProblems(problems) {
      problemsBox.replaceChildren();
      if (!problems.length) {
        return;
      }
      // The server's own list (from the last post) is out of date once the text changes.
      const stale = document.getElementById(editor.id + "-error");
      if (stale) {
        stale.remove();
      }
      const list = document.createElement("ul");
      list.className = "errors";
      for (const text of problems) {
        const item = document.createElement("li");
        item.textContent = text; // plain text: never parsed as HTML
        list.append(item);
      }
      problemsBox.append(list);
    }

    async function refresh() {
      const request = ++latest;
      const data = new FormData();
      data.append("csrf_token", token ? token.value : "");
      data.append("markdown", editor.value);
      try {
        const response = await fetch(url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        const result = await response.json();
        if (request !== latest) {
          return; // a newer preview is on its way
        }
        const problems = result.problems || (result.error ? [result.error] : []);
        if (result.html || !problems.length) {
          // Rendered and sanitised on the server with the same code that saves the module.
          body.innerHTML = result.html || "";
        }
        showProblems(problems);
        if (status) {
          if (!problems.length) {
            status.textContent = "Preview updated as you type.";
          } else if (result.html) {
            status.textContent = "Preview updated, but the problems listed under the text stop it being saved.";
          } else {
            status.textContent = "Preview not updated: fix the problems listed under the text.";
          }
        }
      } catch (_error) {
        if (status && request === latest) {
          status.textContent = "The preview could not be updated. Use the Preview button.";
        }
      }
    }

    editor.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    });

    // Tab indents, so lists and code blocks can be typed; Esc then Tab leaves the
    // editor, so keyboard users are never trapped in it.
    let escaped = false;
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        escaped = true;
        return;
      }
      if (event.key === "Tab" && !event.shiftKey && !escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.preventDefault();
        const start = editor.selectionStart;
        editor.setRangeText(INDENT, start, editor.selectionEnd, "end");
        editor.dispatchEvent(new Event("input"));
        return;
      }
      escaped = false;
    });
    editor.addEventListener("blur", () => {
      escaped = false;
    });

    // Ctrl+S (Cmd+S) saves the module instead of saving the web page.
    form.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        const save = document.getElementById("save-module");
        if (form.requestSubmit) {
          form.requestSubmit(save);
        } else if (save) {
          save.click();
        }
      }
    });

    if (!body.innerHTML.trim() && editor.value.trim()) {
      refresh();
    }
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
