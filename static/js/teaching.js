// Teaching pages: "Copy" buttons beside join and invitation links. Without this file the
// links stay in read-only fields that can be selected and copied by hand.
"use strict";

(function () {
  document.addEventListener("DOMContentLoaded", () => {
    if (!navigator.clipboard) {
      return;
    }
    document.querySelectorAll("button[data-copy-target]").forEach((button) => {
      const field = document.getElementById(button.dataset.copyTarget);
      if (!field) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(field.value);
          button.firstChild.textContent = "Copied";
        } catch (error) {
          field.select();
        }
      });
    });
  });
})();
