// The page script's entry: starts every widget on a page, once per page view, with or without instant navigation.
import { findAll } from "./dom.js";

/**
 * A kind of widget: the elements grader/site writes for it, and what brings one to life.
 * @typedef {object} Widget
 * @property {string} selector
 * @property {(root: HTMLElement) => unknown} start
 */
/**
 * A widget's module, fetched only by a page that has one of its elements, so a page without quizzes loads no quiz code.
 * @typedef {object} WidgetModule
 * @property {string} present  an element this selector finds is one the module starts
 * @property {() => Promise<Widget>} load
 */

/** @type {WidgetModule[]} */
const WIDGETS = [
  { present: "[data-course-quiz]", load: () => import("./quiz.js").then((module) => module.quizWidget) },
  { present: "[data-course-dialogue][data-mode=practice]", load: () => import("./dialogue.js").then((module) => module.dialogueWidget) },
  { present: "[data-course-practice]", load: () => import("./practice.js").then((module) => module.practiceWidget) },
  { present: "[data-course-progress]", load: () => import("./progress.js").then((module) => module.progressWidget) },
];

/** @param {Widget} widget */
function startAll(widget) {
  // A page swapped in by instant navigation is new; marking each root keeps a widget from starting twice.
  findAll(document, widget.selector).forEach((root) => {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    widget.start(root);
  });
}
function startWidgets() {
  // Material's search dialog has no accessible name (Lighthouse: aria-dialog-name).
  const search = document.querySelector(".md-search[role=dialog]");
  if (search) search.setAttribute("aria-label", "Search the course");
  WIDGETS.forEach((module) => {
    if (document.querySelector(module.present)) module.load().then(startAll);
  });
}
// A module runs once, after the page is parsed. Material's instant navigation swaps pages without
// running it again; its document$ tells us of each page, the first included.
const material = /** @type {Window & {document$?: {subscribe: (next: () => void) => unknown}}} */ (window);
if (material.document$) material.document$.subscribe(startWidgets);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startWidgets);
else startWidgets();
