// The quiz form: its answers saved as they change, ordering and matching questions, dialogue questions, and the hand-in.
import { confirmed, find, findAll, markDisabled, payload, speaker } from "./dom.js";
import { startDialogue } from "./dialogue.js";
import { handInPanel } from "./learner.js";
import { quizKey, readStored, writeStored } from "./store.js";
/** @typedef {import("./answer-file.js").Answer} Answer */
/** @typedef {import("./answer-file.js").Answers} Answers */
/** @typedef {import("./dialogue.js").DialogueWidget} DialogueWidget */
/** @typedef {import("./learner.js").LearnerRule} LearnerRule */
/** @typedef {import("./store.js").SavedQuiz} SavedQuiz */

/** @typedef {"single" | "multiple" | "true_false" | "ordering" | "matching" | "short_text" | "dialogue"} QuestionType */
/**
 * @typedef {object} QuizQuestion
 * @property {string} id
 * @property {QuestionType} type
 * @property {number} number  as the page shows it, from 1
 * @property {number} points
 */
/**
 * A quiz: its questions without their answers, which stay in quizzes/keys/.
 * @typedef {object} QuizData
 * @property {string} quiz  the quiz id
 * @property {string} title
 * @property {string} version  the content version the answer file names
 * @property {QuizQuestion[]} questions  in page order
 * @property {LearnerRule} learner
 */

/** @typedef {Exclude<QuestionType, "dialogue">} FormQuestionType  Answered with form controls. */

/**
 * The answer a question's controls show, or undefined while it is unanswered.
 * @type {Record<FormQuestionType, (field: HTMLElement) => Answer | undefined>}
 */
const readAnswer = {
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
const showAnswer = {
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
function markEnds(list) {
  findAll(list, "li").forEach((item, position, all) => {
    markDisabled(find(item, "[data-move=up]"), position === 0);
    markDisabled(find(item, "[data-move=down]"), position === all.length - 1);
  });
}

/** @param {HTMLElement} root */
function startQuiz(root) {
  /** @type {QuizData} */
  const quiz = payload(root);
  /** @type {HTMLFormElement} */
  const form = find(root, "form");
  const storageKey = quizKey(quiz.quiz);
  const panel = find(root, ":scope > [data-handin]");
  const say = speaker(find(panel, "[data-status]"));
  /** @type {Record<string, HTMLElement>} */
  const fields = {};
  /** @type {Record<string, DialogueWidget>} */
  const dialogues = {};
  /** @type {Record<string, HTMLElement[]>} */
  const originalOrder = {};
  /** @type {Record<string, string[]>} */
  const paths = {};
  findAll(form, ":scope > [data-question]").forEach((field) => { fields[field.dataset.question || ""] = field; });
  /** @type {Partial<SavedQuiz>} */
  const saved = readStored(storageKey);

  /** @returns {Answers} */
  function currentAnswers() {
    /** @type {Answers} */
    const answers = {};
    quiz.questions.forEach((question) => {
      const path = paths[question.id];
      const answer = question.type === "dialogue" ? (path && path.length ? path : undefined)
        : readAnswer[question.type](fields[question.id]);
      if (answer !== undefined) answers[question.id] = answer;
    });
    return answers;
  }
  const save = () => writeStored(storageKey, { version: quiz.version, answers: currentAnswers() });

  quiz.questions.forEach((question) => {
    const field = fields[question.id], savedAnswer = /** @type {Record<string, unknown>} */ (saved.answers || {})[question.id];
    if (question.type === "dialogue") {
      paths[question.id] = Array.isArray(savedAnswer) ? savedAnswer : [];
      dialogues[question.id] = startDialogue(find(field, "[data-course-dialogue]"), {
        get: () => paths[question.id],
        set: (path) => {
          paths[question.id] = path;
          save();
        },
      });
      return;
    }
    if (question.type === "ordering") originalOrder[question.id] = findAll(field, "li");
    if (savedAnswer !== undefined) showAnswer[question.type](field, savedAnswer);
    if (question.type === "ordering") markEnds(find(field, "ol"));
  });

  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("input", save);
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
    save();
  });

  handInPanel(panel, quiz.learner, say, () => {
    const answers = currentAnswers();
    const missing = quiz.questions.filter((question) => !(question.id in answers) || (question.type === "dialogue" && !dialogues[question.id].ended()))
      .map((question) => "question " + question.number + (question.id in answers ? " (dialogue not finished)" : ""));
    quiz.questions.forEach((question) => {
      const matched = answers[question.id];
      const unmatched = question.type === "matching" && matched !== undefined
        && findAll(fields[question.id], "select").length - Object.keys(matched).length;
      if (unmatched) missing.push("question " + question.number + " (" + unmatched + " left to match)");
    });
    return { activity: quiz.quiz, version: quiz.version, answers, note: missing.length ? "Not answered: " + missing.join(", ") + "." : "" };
  });
  const startOver = find(panel, "[data-action=start-over]");
  startOver.addEventListener("click", () => {
    if (!confirmed(startOver, say)) return;
    writeStored(storageKey, null);
    form.reset();
    Object.keys(originalOrder).forEach((questionId) => {
      const list = find(fields[questionId], "ol");
      originalOrder[questionId].forEach((item) => list.append(item));
      delete list.dataset.moved;
      markEnds(list);
    });
    Object.keys(dialogues).forEach((questionId) => {
      paths[questionId] = [];
      dialogues[questionId].reset();
    });
    say("Your answers are cleared.");
  });
  find(root, ":scope > [data-nojs]").hidden = true;
  if (saved.version && saved.version !== quiz.version) say("This quiz has changed since your answers were saved; check them before you download.");
}

/** Quizzes, each keeping its answers, its dialogue questions' paths included. */
export const quizWidget = { selector: "[data-course-quiz]", start: startQuiz };
