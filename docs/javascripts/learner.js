// The hand-in panel: the learner's id and name, remembered for every page, checked as the grader checks them, and the download.
import { confirmed, find } from "./dom.js";
import { answerFile, download } from "./answer-file.js";
import { LEARNER_KEY, readStored, writeStored } from "./store.js";
/** @typedef {import("./answer-file.js").HandIn} HandIn */
/** @typedef {import("./store.js").Learner} Learner */
/** @typedef {import("./dom.js").Say} Say */

/**
 * The grader's learner id rule (grader/answers.py), so the page refuses what the grader would.
 * @typedef {object} LearnerRule
 * @property {string} pattern  a regular expression the whole id must match
 * @property {string} rule  the rule in words, for the message
 */

/**
 * @param {string} id
 * @param {LearnerRule} rule
 * @returns {string}  what is wrong with the id, or "" when it is allowed
 */
function learnerProblem(id, rule) {
  // The grader's words (grader/answers.py check_learner_id), so the page and the grader agree.
  if (!id) return "learner id is missing; " + rule.rule;
  if (!new RegExp(rule.pattern).test(id)) {
    return "learner id '" + (id.length > 80 ? id.slice(0, 77) + "..." : id) + "' is not allowed; " + rule.rule;
  }
  return "";
}

/**
 * The learner id and name fields, remembered for every page, and the download button.
 * @param {HTMLElement} panel
 * @param {LearnerRule} rule
 * @param {Say} say
 * @param {() => HandIn} collect  what to hand in, asked at each press
 * @param {() => void} [downloaded]  told after each download, for the learner's progress
 */
export function handInPanel(panel, rule, say, collect, downloaded) {
  /** @type {HTMLInputElement} */
  const idField = find(panel, "[data-learner-id]");
  /** @type {HTMLInputElement} */
  const nameField = find(panel, "[data-learner-name]");
  /** @type {Partial<Learner>} */
  const saved = readStored(LEARNER_KEY);
  idField.value = saved.id || idField.value;
  nameField.value = saved.name || nameField.value;
  /** @returns {Learner} */
  const typed = () => ({ id: idField.value.trim(), name: nameField.value.trim() });
  const remember = () => writeStored(LEARNER_KEY, typed());
  idField.addEventListener("change", remember);
  nameField.addEventListener("change", remember);
  const button = find(panel, "[data-action=download]");
  button.addEventListener("click", () => {
    const learner = typed();
    const problem = learnerProblem(learner.id, rule);
    if (problem) {
      idField.setAttribute("aria-invalid", "true");
      idField.focus();
      say(problem.charAt(0).toUpperCase() + problem.slice(1) + ".");
      return;
    }
    idField.removeAttribute("aria-invalid");
    remember();
    const handIn = collect();
    // Unanswered questions are listed first; a second press downloads anyway.
    if (handIn.note && !confirmed(button, say, handIn.note)) return;
    const fileName = handIn.activity + "-" + learner.id + ".yml";
    download(fileName, answerFile(handIn, learner));
    say((handIn.note ? handIn.note + " " : "") + "Downloaded " + fileName + ".");
    if (downloaded) downloaded();
  });
  panel.hidden = false;
}
