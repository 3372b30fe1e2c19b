// The page script's entry: starts every widget on a page, once per page view, with or without instant navigation.
import { findAll } from "./dom.js";
import { dialogueWidget } from "./dialogue.js";
import { quizWidget } from "./quiz.js";

/**
 * A kind of widget: the elements grader/site.py writes for it, and what brings one to life.
 * @typedef {object} Widget
 * @property {string} selector
 * @property {(root: HTMLElement) => unknown} start
 */

/** @type {Widget[]} */
const WIDGETS = [
  quizWidget,
  dialogueWidget,
];

function startWidgets() {
  // Material's search dialog has no accessible name (Lighthouse: aria-dialog-name).
  const search = document.querySelector(".md-search[role=dialog]");
  if (search) search.setAttribute("aria-label", "Search the course");
  // A page swapped in by instant navigation is new; marking each root keeps a widget from starting twice.
  WIDGETS.forEach((widget) => findAll(document, widget.selector).forEach((root) => {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    widget.start(root);
  }));
}
// A module runs once, after the page is parsed. Material's instant navigation swaps pages without
// running it again; its document$ tells us of each page, the first included.
const material = /** @type {Window & {document$?: {subscribe: (next: () => void) => unknown}}} */ (window);
if (material.document$) material.document$.subscribe(startWidgets);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startWidgets);
else startWidgets();
