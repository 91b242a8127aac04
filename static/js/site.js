// Small progressive enhancements; every page works without this file.
"use strict";

// Wide tables scroll sideways in a box of their own, so the page never does (WCAG 1.4.10,
// reflow at 320 CSS px). A box that really scrolls (a table's, a code block, an editor's
// preview) takes keyboard focus, so the arrow keys scroll it (axe: scrollable-region-focusable),
// and a table's box becomes a region named after the table; a box that fits stays out of
// the tab order and out of the landmarks.
const scrollBoxes = {
  // Boxes that may scroll on their own: table boxes, code blocks, editor previews, the module sidebar.
  PANES: ".table-scroll, main pre, .authoring-preview, .question-preview, .module-aside",
  wrap(root) {
    root.querySelectorAll("table").forEach((table) => {
      if (table.closest(".table-scroll, .no-scroll-box")) return;
      const box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  },
  nameOf(box) {
    const caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    // Otherwise the heading the table sits under, as a reader would name it.
    for (let node = box; node && node !== document.body; node = node.parentElement) {
      for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
        const heading = before.matches("h1, h2, h3, h4, h5, h6") ? before : null;
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
    }
    return "Table";
  },
  update() {
    const used = new Map();
    document.querySelectorAll(scrollBoxes.PANES).forEach((box) => {
      const style = getComputedStyle(box);
      const scrolls = (/auto|scroll/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1)
        || (/auto|scroll/.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
      const table = box.classList.contains("table-scroll");
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "";
      } else if (!scrolls && "scrollFocus" in box.dataset) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
      if (table && scrolls) {
        let name = scrollBoxes.nameOf(box) + ", table";
        const seen = (used.get(name) || 0) + 1;
        used.set(name, seen);
        if (seen > 1) name += " " + seen;  // landmarks of one role need distinct names
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name + " (scrolls sideways)");
      } else if (table && box.getAttribute("role") === "region") {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  },
  start(main) {
    scrollBoxes.wrap(main);
    scrollBoxes.update();
    let pending = false;
    const later = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        scrollBoxes.wrap(main);
        scrollBoxes.update();
      });
    };
    window.addEventListener("resize", later);
    // Live previews (module and question editors) put new tables in the page.
    new MutationObserver(later).observe(main, { childList: true, subtree: true });
  },
};

document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the main region after "skip to main content" so screen readers follow.
  const skip = document.querySelector(".skip-link");
  const main = document.getElementById("main");
  if (skip && main) {
    skip.addEventListener("click", () => main.focus());
  }
  if (main) scrollBoxes.start(main);
  // Select the whole value of read-only copy fields (reset links) on focus.
  document.querySelectorAll("input.copy-field").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
