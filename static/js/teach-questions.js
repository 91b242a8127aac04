// Instructor pages of the question bank and quiz builder: progressive enhancement only.
// Without this file the editor's Preview button and the builder's Find button do the same work.
"use strict";
(() => {
  const PREVIEW_DELAY_MS = 700;

  // Live preview: as the instructor types, send the editor's fields to the preview endpoint
  // (it validates and draws the question, and never saves) and show the returned fragment.
  function livePreview(form) {
    const url = form.dataset.previewUrl;
    const body = document.getElementById("preview-body");
    const status = document.getElementById("preview-status");
    if (!url || !body || !status) return;
    let timer = null;
    let inFlight = null;

    async function refresh() {
      if (inFlight) inFlight.abort();
      inFlight = new AbortController();
      const data = new FormData(form);
      data.delete("action");
      status.textContent = "Updating the preview…";
      try {
        const response = await fetch(url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { Accept: "text/html" },
          signal: inFlight.signal,
        });
        if (!response.ok) {
          status.textContent = response.status === 400
            ? "The preview could not be updated: reload the page (your session may have expired)."
            : "The preview could not be updated. Use the Preview button.";
          return;
        }
        // The fragment is rendered by our server from sanitised markdown and escaped text.
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        body.replaceChildren(...doc.body.childNodes);
        const panel = body.querySelector(".preview-panel");
        status.textContent = panel ? panel.dataset.summary || "" : "";
      } catch (error) {
        if (error.name !== "AbortError") {
          status.textContent = "The preview could not be updated. Use the Preview button.";
        }
      }
    }

    form.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, PREVIEW_DELAY_MS);
    });
    form.addEventListener("change", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, PREVIEW_DELAY_MS);
    });
  }

  // Quiz builder: Enter in the question finder searches instead of saving the quiz.
  function finderSearchesOnEnter() {
    const input = document.getElementById("find");
    const button = document.getElementById("find-button");
    if (!input || !button) return;
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        button.click();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("question-form");
    if (form) livePreview(form);
    finderSearchesOnEnter();
  });
})();
