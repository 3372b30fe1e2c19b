// A question's controls, as grader/site/quiz_form.py writes them: reading an answer, showing one, moving ordering items.
import { find, findAll, markDisabled } from "./dom.js";
/** @typedef {import("./answer-file.js").Answer} Answer */
/** @typedef {import("./dom.js").Say} Say */

/** @typedef {"single" | "multiple" | "true_false" | "ordering" | "matching" | "short_text" | "dialogue"} QuestionType */
/** @typedef {Exclude<QuestionType, "dialogue">} FormQuestionType  Answered with form controls. */

/**
 * The answer a question's controls show, or undefined while it is unanswered.
 * @type {Record<FormQuestionType, (field: HTMLElement) => Answer | undefined>}
 */
export const readAnswer = {
  single: (field) => {
    /** @type {HTMLInputElement | null} */
    const checked = field.querySelector("input:checked");
    return checked ? checked.value : undefined;
  },
  true_false: (field) => {
    /** @type {HTMLInputElement | null} */
    const checked = field.querySelector("input:checked");
    return checked ? checked.value === "true" : undefined;
  },
  multiple: (field) => {
    const values = findAll(field, "input:checked").map((input) => /** @type {HTMLInputElement} */ (input).value);
    return values.length ? values : undefined;
  },
  ordering: (field) => (find(field, "ol").dataset.moved ? findAll(field, "li").map((item) => item.dataset.item || "") : undefined),
  matching: (field) => {
    /** @type {Record<string, string>} */
    const matches = {};
    findAll(field, "select").forEach((select) => {
      const choice = /** @type {HTMLSelectElement} */ (select).value;
      if (choice) matches[select.dataset.pair || ""] = choice;
    });
    return Object.keys(matches).length ? matches : undefined;
  },
  short_text: (field) => /** @type {HTMLInputElement} */ (find(field, "input")).value.trim() || undefined,
};

/**
 * Ticks the options a saved answer names.
 * @param {HTMLElement} field
 * @param {unknown} saved
 */
function showChoices(field, saved) {
  const chosen = /** @type {unknown[]} */ ([]).concat(saved).map(String);
  findAll(field, "input").forEach((input) => {
    const option = /** @type {HTMLInputElement} */ (input);
    option.checked = chosen.includes(option.value);
  });
}
/**
 * Shows a saved answer in a question's controls; an answer that does not fit them is left out.
 * @type {Record<FormQuestionType, (field: HTMLElement, saved: unknown) => void>}
 */
export const showAnswer = {
  single: showChoices,
  true_false: showChoices,
  multiple: showChoices,
  ordering: (field, saved) => {
    const list = find(field, "ol"), items = findAll(list, "li");
    if (!Array.isArray(saved) || saved.length !== items.length || !items.every((item) => saved.includes(item.dataset.item))) return;
    saved.forEach((itemId) => list.append(/** @type {HTMLElement} */ (items.find((item) => item.dataset.item === itemId))));
    list.dataset.moved = "1";
  },
  matching: (field, saved) => findAll(field, "select").forEach((element) => {
    const select = /** @type {HTMLSelectElement} */ (element);
    const matches = /** @type {Record<string, unknown> | null | undefined} */ (saved);
    select.value = String((matches && matches[select.dataset.pair || ""]) || "");
    if (select.selectedIndex < 0) select.value = "";
  }),
  short_text: (field, saved) => {
    /** @type {HTMLInputElement} */ (find(field, "input")).value = typeof saved === "string" ? saved : "";
  },
};

/**
 * Dims Move up on the first item and Move down on the last.
 * @param {HTMLElement} list
 */
export function markEnds(list) {
  findAll(list, "li").forEach((item, position, all) => {
    markDisabled(find(item, "[data-move=up]"), position === 0);
    markDisabled(find(item, "[data-move=down]"), position === all.length - 1);
  });
}

/**
 * The controls of every question in a form: Move up and Move down, said aloud, and a way back to how the page began.
 * @param {HTMLFormElement} form
 * @param {Say} say
 * @param {() => void} moved  called after each move, as an input event is for the other controls
 * @returns {{fields: Record<string, HTMLElement>, reset: () => void}}  the fieldsets by question id; reset clears every answer
 */
export function startControls(form, say, moved) {
  /** @type {Record<string, HTMLElement>} */
  const fields = {};
  /** @type {Record<string, HTMLElement[]>} */
  const originalOrder = {};
  findAll(form, ":scope > [data-question]").forEach((field) => {
    const questionId = field.dataset.question || "";
    fields[questionId] = field;
    if (field.dataset.type === "ordering") {
      originalOrder[questionId] = findAll(field, "li");
      markEnds(find(field, "ol"));
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("click", (event) => {
    /** @type {HTMLElement | null} */
    const button = /** @type {Element} */ (event.target).closest("[data-move]");
    if (!button) return;
    const item = /** @type {HTMLElement} */ (button.closest("li")), list = /** @type {HTMLElement} */ (item.parentNode);
    const up = button.dataset.move === "up";
    const neighbour = up ? item.previousElementSibling : item.nextElementSibling;
    const text = find(item, ".course-item-text").textContent;
    if (!neighbour) {
      say(text + " is already " + (up ? "first." : "last."));
      return;
    }
    // Move the neighbour, not the item, so the pressed button keeps focus.
    list.insertBefore(neighbour, up ? item.nextElementSibling : item);
    list.dataset.moved = "1";
    markEnds(list);
    button.focus();
    const items = findAll(list, "li");
    say(text + " moved to position " + (items.indexOf(item) + 1) + " of " + items.length + ".");
    moved();
  });
  return {
    fields,
    reset: () => {
      form.reset();
      Object.keys(originalOrder).forEach((questionId) => {
        const list = find(fields[questionId], "ol");
        originalOrder[questionId].forEach((item) => list.append(item));
        delete list.dataset.moved;
        markEnds(list);
      });
    },
  };
}
