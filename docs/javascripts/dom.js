// Small helpers every widget shares: finding and making elements, the payload, live-region messages, two-press buttons.

/** @typedef {(text: string) => void} Say  Reads a message out in a live region. */

/**
 * The element `selector` finds in `root`; grader/site.py writes every one the script asks for.
 * @template {Element} [Found=HTMLElement]
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {Found}
 */
export function find(root, selector) {
  const found = root.querySelector(selector);
  if (!found) throw new Error("course.js: the widget has no " + selector);
  return /** @type {Found} */ (found);
}
/**
 * @template {Element} [Found=HTMLElement]
 * @param {ParentNode} root
 * @param {string} selector
 * @returns {Found[]}
 */
export const findAll = (root, selector) => Array.from(root.querySelectorAll(selector));

/**
 * A widget's data-course: in an attribute, not a script island, because instant navigation re-runs inline scripts as code.
 * @template Data
 * @param {HTMLElement} root
 * @returns {Data}
 */
export const payload = (root) => JSON.parse(root.dataset.course || "");

/**
 * @template {keyof HTMLElementTagNameMap} Tag
 * @param {Tag} tag
 * @param {string | null} [className]
 * @param {string | null} [text]
 * @returns {HTMLElementTagNameMap[Tag]}
 */
export function element(tag, className, text) {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text != null) created.textContent = text;
  return created;
}

/**
 * @param {HTMLElement} region  a live region
 * @returns {Say}
 */
export function speaker(region) {
  // Emptying first makes a repeated message heard again.
  return (text) => {
    region.textContent = "";
    setTimeout(() => { region.textContent = text; }, 60);
  };
}

/**
 * Greys a button out while it has nothing to do; it stays focusable, so keyboard users keep their place.
 * @param {HTMLElement} button
 * @param {boolean} disabled
 */
export function markDisabled(button, disabled) {
  if (disabled) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
}

/**
 * True on the second press: a first press asks for it, so the keyboard answers without a dialog box.
 * @param {HTMLElement} button
 * @param {Say} say
 * @param {string} [reason]  said before the request to confirm
 * @returns {boolean}
 */
export function confirmed(button, say, reason) {
  if (button.dataset.armed) {
    disarm(button);
    return true;
  }
  const label = button.textContent || "";
  button.dataset.armed = label;
  button.textContent = label + "? Press again";
  say((reason ? reason + " " : "") + "Press " + label + " again to confirm.");
  button.addEventListener("blur", () => disarm(button), { once: true });
  return false;
}
/** @param {HTMLElement} button */
function disarm(button) {
  const label = button.dataset.armed;
  if (label) {
    button.textContent = label;
    delete button.dataset.armed;
  }
}
