// Flashcard review from the keyboard: space shows the answer, 1-4 rate it (Again, Hard,
// Good, Easy). Without this script the page works with its link and buttons; the session
// itself lives on the server, so a reload shows the card that is due.
(function () {
  "use strict";
  var card = document.getElementById("flashcard");
  if (!card) { return; }
  var back = document.getElementById("card-back");
  var ratings = document.getElementById("ratings");
  var flip = document.getElementById("flip");
  var live = document.getElementById("flashcard-live");

  function shown() { return card.getAttribute("data-shown") === "true"; }

  function show() {
    if (shown()) { return; }
    back.hidden = false;
    ratings.hidden = false;
    flip.parentNode.hidden = true;
    card.setAttribute("data-shown", "true");
    live.textContent = "Answer shown. Rate it: 1 Again, 2 Hard, 3 Good, 4 Easy.";
    var good = ratings.querySelector('button[data-key="3"]');
    if (good) { good.focus(); }
  }

  flip.addEventListener("click", function (event) {
    event.preventDefault();
    show();
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    if (event.key === " " || event.key === "Spacebar") {
      if (!shown()) {
        event.preventDefault();
        show();
      }
      return;
    }
    if (shown() && /^[1-4]$/.test(event.key)) {
      var button = ratings.querySelector('button[data-key="' + event.key + '"]');
      if (button && !ratings.dataset.sent) {
        event.preventDefault();
        ratings.dataset.sent = "1"; // one rating per card, however fast the keys come
        live.textContent = "Saved: " + button.textContent.trim().split("(")[0].trim() + ".";
        ratings.requestSubmit ? ratings.requestSubmit(button) : button.click();
      }
    }
  });
})();
