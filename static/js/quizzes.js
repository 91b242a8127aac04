// Quiz attempts: autosave each answer as it is given, flag questions, and count down the time.
// Everything works without this file (the form posts "save and next"); the server is the
// authority on the deadline and refuses answers that arrive after it.
"use strict";

(function () {
  const live = document.getElementById("quiz-live");

  function announce(message) {
    if (live) {
      live.textContent = message;
    }
  }

  // ---- countdown ------------------------------------------------------------------------
  function startCountdown() {
    const box = document.getElementById("time-left");
    if (!box || !box.dataset.deadline) {
      return;
    }
    const deadline = Date.parse(box.dataset.deadline);
    const warnAt = parseInt(box.dataset.warnSeconds || "300", 10);
    const value = box.querySelector(".time-left-value");
    if (Number.isNaN(deadline) || !value) {
      return;
    }
    let warned = (deadline - Date.now()) / 1000 <= warnAt;
    let lastMinute = false;
    function tick() {
      const seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const minutes = Math.floor(seconds / 60);
      value.textContent = minutes + ":" + String(seconds % 60).padStart(2, "0");
      if (!warned && seconds <= warnAt) {
        warned = true;
        box.classList.add("time-warn");
        announce(Math.ceil(seconds / 60) + " minutes left. Your answers are saved as you go.");
      }
      if (!lastMinute && seconds <= 60 && seconds > 0) {
        lastMinute = true;
        box.classList.add("time-warn");
        announce("One minute left.");
      }
      if (seconds === 0) {
        clearInterval(timer);
        announce("Time is up. Your saved answers are being graded.");
        // The server closes the attempt on the next request and shows the results.
        setTimeout(() => window.location.reload(), 1500);
      }
    }
    const timer = setInterval(tick, 1000);
    tick();
  }

  // ---- autosave ---------------------------------------------------------------------------
  const form = document.getElementById("answer-form");

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function checkedValues(selector) {
    return Array.from(form.querySelectorAll(selector)).filter((el) => el.checked).map((el) => el.value);
  }

  // The answer in the shape the server reads (see trainer/web/quizzes/responses.py);
  // undefined when it cannot be saved yet (an ordering with positions missing or repeated).
  function currentResponse(kind) {
    if (kind === "choice" || kind === "boolean") {
      const chosen = checkedValues('input[name="response"]');
      return chosen.length ? chosen[0] : null;
    }
    if (kind === "choices") {
      return checkedValues('input[name="response"]');
    }
    if (kind === "number" || kind === "text") {
      const input = form.querySelector('input[name="response"]');
      return input ? input.value : null;
    }
    if (kind === "pairs") {
      const pairs = {};
      form.querySelectorAll('select[name^="pair-"]').forEach((select) => {
        if (select.value) {
          pairs[select.name.slice(5)] = select.value;
        }
      });
      return pairs;
    }
    if (kind === "order") {
      const selects = Array.from(form.querySelectorAll('select[name^="order-"]'));
      const given = selects.filter((select) => select.value);
      if (!given.length) {
        return null;
      }
      const positions = new Set(given.map((select) => select.value));
      if (given.length !== selects.length || positions.size !== selects.length) {
        announce("Give every item a different position to save this answer.");
        return undefined;
      }
      given.sort((a, b) => parseInt(a.value, 10) - parseInt(b.value, 10));
      return given.map((select) => select.name.slice(6));
    }
    return undefined;
  }

  function navButton(number) {
    return form.querySelector('.question-nav button[value="' + number + '"]');
  }

  // Why the last send failed: "network" (try again later), "closed" (the attempt is over)
  // or "refused" (the server said no; sending the same again will not help).
  let failure = null;

  async function send(payload) {
    let response;
    failure = null;
    try {
      response = await fetch(form.dataset.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify(payload),
      });
    } catch (error) {
      failure = "network";
      announce("Not saved: check your connection. Your answer is sent again when it is back.");
      return null;
    }
    let body = {};
    try {
      body = await response.json();
    } catch (error) {
      body = {};
    }
    if (response.status === 409 && body.redirect) {
      failure = "closed";
      announce(body.error || "This attempt is closed.");
      setTimeout(() => { window.location.href = body.redirect; }, 2500);
      return null;
    }
    if (!response.ok) {
      failure = response.status >= 500 ? "network" : "refused";
      announce(body.error || "Not saved. Reload the page and try again.");
      return null;
    }
    return body;
  }

  function startAutosave() {
    if (!form || !form.dataset.saveUrl) {
      return;
    }
    const number = parseInt(form.dataset.number, 10);
    const kind = form.dataset.kind;
    const editable = form.dataset.editable === "true";
    let timer = null;
    let lastSent = null;
    let unsaved = false;
    let retry = null;
    let submitting = false;

    async function saveAnswer() {
      const value = currentResponse(kind);
      if (value === undefined) {
        return;
      }
      const text = JSON.stringify(value);
      if (text === lastSent) {
        return;
      }
      lastSent = text;
      unsaved = true;
      clearTimeout(retry);
      retry = null;
      announce("Saving…");
      const body = await send({ number: number, response: value });
      if (body) {
        unsaved = JSON.stringify(currentResponse(kind)) !== text;
        announce("Answer saved.");
        const button = navButton(number);
        if (button) {
          button.classList.toggle("is-answered", Boolean(body.answered));
        }
      } else if (failure === "network" && lastSent === text) {
        // a lost connection: the answer stays on the page and is sent again shortly,
        // and at once when the browser is back online
        lastSent = null;
        retry = setTimeout(saveAnswer, 10000);
      } else if (failure !== "network") {
        unsaved = false;  // closed or refused: nothing more can be saved by waiting
      }
    }

    window.addEventListener("online", () => {
      if (unsaved) {
        lastSent = null;
        saveAnswer();
      }
    });
    // Leaving while an answer waits for the connection to come back asks first: it
    // would be lost. (A save still on its way does not ask; the server has it soon.)
    window.addEventListener("beforeunload", (event) => {
      if (unsaved && retry !== null && failure === "network" && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    form.addEventListener("submit", () => {
      // the form carries the answer itself: posting it is saving it
      submitting = true;
    });

    if (editable) {
      form.querySelectorAll('input[name="response"], select').forEach((input) => {
        input.addEventListener("change", saveAnswer);
        if (input.type === "text") {
          input.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(saveAnswer, 800);
          });
        }
      });
    }

    const flag = document.getElementById("flag-input");
    if (flag) {
      flag.addEventListener("change", async () => {
        const body = await send({ number: number, flagged: flag.checked });
        if (body) {
          announce(body.flagged ? "Flagged for review." : "Flag removed.");
          const button = navButton(number);
          if (button) {
            button.classList.toggle("is-flagged", Boolean(body.flagged));
          }
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    startCountdown();
    startAutosave();
  });
})();
