// A practice set at the end of a lesson section: checked on the page by the grader's rules, the answers shown, tried again.
import { element, find, payload, speaker } from "./dom.js";
import { readProgress, recordProgress } from "./progress-store.js";
import { readAnswer, startControls } from "./questions.js";
import { scoreItem, total } from "./scoring.js";
import { clearVerdict, fieldOf, scoreText, showRightAnswer, showVerdict, tally, tallyText } from "./verdicts.js";
/** @typedef {import("./verdicts.js").ScoredItem} ScoredItem */
/** @typedef {import("./questions.js").FormQuestionType} FormQuestionType */

/**
 * A practice set, keys included: practice is public by design (grader/site/practice_form.py).
 * @typedef {object} PracticeData
 * @property {string} id  `<lesson>#<section>`, the progress record's id
 * @property {string} lesson  the lesson page under docs/
 * @property {ScoredItem[]} questions
 */

/** @param {HTMLElement} root */
function startPractice(root) {
  /** @type {PracticeData} */
  const practice = payload(root);
  /** @type {HTMLFormElement} */
  const form = find(root, "form");
  const say = speaker(find(root, ":scope > [data-status]"));
  const controls = startControls(form, say, () => undefined);
  const last = element("p", "course-hint");
  find(root, ":scope > [data-buttons]").after(last);

  /** @param {{score: number, max: number}} [record] */
  function showLast(record) {
    last.textContent = record ? "Your last check: " + scoreText(record.score, record.max) + "." : "";
    last.hidden = !record;
  }
  showLast(readProgress().practice[practice.id]);

  // An answer changed since the last check is no longer what the verdict under it describes.
  const changed = (/** @type {Event} */ event) => {
    const field = fieldOf(event.target);
    if (field) clearVerdict(field);
  };
  form.addEventListener("input", changed);
  form.addEventListener("click", (event) => {
    if (/** @type {Element} */ (event.target).closest("[data-move]")) changed(event);
  });

  find(root, "[data-action=check]").addEventListener("click", () => {
    const results = practice.questions.map((item) => {
      const answer = readAnswer[/** @type {FormQuestionType} */ (item.type)](controls.fields[item.id]);
      return scoreItem(item, item.key, answer === undefined ? null : answer);
    });
    const answered = results.filter((result) => result.answered).length;
    if (!answered) {
      say("Answer at least one question, then check.");
      return;
    }
    results.forEach((result, at) => showVerdict(controls.fields[result.question], result, practice.questions[at], false));
    const sum = tally(results, total(results));
    const before = readProgress().practice[practice.id];
    const record = { answered: Math.max(answered, before ? before.answered : 0), questions: results.length, score: sum.score, max: sum.max };
    recordProgress("practice", practice.id, record);
    showLast(record);
    say("You scored " + tallyText(sum) + " The feedback is under each question.");
  });
  find(root, "[data-action=show]").addEventListener("click", () => {
    practice.questions.forEach((item) => showRightAnswer(controls.fields[item.id], item));
    say("The answers are shown under each question.");
  });
  find(root, "[data-action=retry]").addEventListener("click", () => {
    controls.reset();
    practice.questions.forEach((item) => clearVerdict(controls.fields[item.id]));
    /** @type {HTMLElement | null} */
    const first = form.querySelector("input, select, button");
    if (first) first.focus();
    say("Cleared. Try the questions again.");
  });
  find(root, ":scope > [data-buttons]").hidden = false;
  find(root, ":scope > [data-nojs]").hidden = true;
}

/** Practice sets, which answer on the page and record each check in the learner's progress. */
export const practiceWidget = { selector: "[data-course-practice]", start: startPractice };
