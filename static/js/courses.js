// Module pages: answer knowledge checks without leaving the page, and remember the
// heading the learner reached so the course page can resume there. Without this file
// the checks post as ordinary forms and the resume link opens the last module viewed.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const article = document.getElementById("module-body");
  if (!article) {
    return;
  }
  const csrf = article.dataset.csrf;

  // --- knowledge checks ------------------------------------------------------------
  article.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("check-form")) {
      return;
    }
    event.preventDefault();
    const box = form.closest(".knowledge-check-box");
    const button = form.querySelector("button[type=submit]");
    // The form is replaced below; a keyboard user must not be left on <body>.
    const hadFocus = form.contains(document.activeElement);
    if (button) {
      button.disabled = true;
    }
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (typeof data.html !== "string") {
        throw new Error("unexpected answer");
      }
      const fresh = new DOMParser().parseFromString(data.html, "text/html").querySelector(".knowledge-check-box");
      if (!fresh) {
        throw new Error("unexpected answer");
      }
      // Keep the live region in place and change only its content, so screen readers
      // announce the feedback; the form is swapped whole (it shows the error or the answer).
      const oldFeedback = box.querySelector(".check-feedback");
      const newFeedback = fresh.querySelector(".check-feedback");
      const newForm = fresh.querySelector(".check-form");
      if (newForm) {
        form.replaceWith(newForm);
      }
      if (oldFeedback && newFeedback) {
        oldFeedback.replaceChildren(...newFeedback.childNodes);
      }
      box.className = fresh.className;
      const invalid = box.querySelector("[aria-invalid=true], .errors");
      if (invalid) {
        // The first answer field, not the hidden CSRF input (which cannot take focus).
        const first = box.querySelector("input:not([type=hidden]), select");
        if (first) {
          first.focus();
        }
      } else if (hadFocus && newForm) {
        const again = newForm.querySelector("button[type=submit]");
        if (again) {
          again.focus();
        }
      }
    } catch (_error) {
      // Fall back to an ordinary post: the server renders the page with the result.
      form.submit();
    } finally {
      if (button) {
        button.disabled = false;
      }
    }
  });

  // --- resume position -------------------------------------------------------------
  const url = article.dataset.positionUrl;
  const headings = Array.from(article.querySelectorAll("h2[id], h3[id]")).filter(
    (h) => !h.closest(".knowledge-check-box, .module-finish, .references"),
  );
  if (!url || !headings.length || !("IntersectionObserver" in window)) {
    return;
  }
  let current = null;
  let sent = null;
  let timer = null;
  const send = () => {
    timer = null;
    if (!current || current === sent) {
      return;
    }
    sent = current;
    fetch(url, {
      method: "POST",
      body: JSON.stringify({ anchor: current }),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      keepalive: true,
    }).catch(() => {
      sent = null; // try again with the next heading
    });
  };
  const observer = new IntersectionObserver(
    (entries) => {
      entries.forEach((entry) => {
        if (entry.isIntersecting) {
          current = entry.target.id;
        }
      });
      // Wait until reading settles; scrolling past headings sends nothing.
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(send, 3000);
    },
    { rootMargin: "0px 0px -70% 0px" },
  );
  headings.forEach((h) => observer.observe(h));
  window.addEventListener("pagehide", () => {
    if (timer) {
      clearTimeout(timer);
      send();
    }
  });
});
