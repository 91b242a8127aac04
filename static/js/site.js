// Small progressive enhancements; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main region after "skip to main content" so screen readers follow.
  const skip = document.querySelector(".skip-link");
  const main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", () => main.focus());
  }
  // Select the whole value of read-only copy fields (reset links) on focus.
  document.querySelectorAll("input.copy-field").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
