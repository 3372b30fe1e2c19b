// What the widgets keep in localStorage: the keys, the saved-state types, and reading and writing them.
/** @typedef {import("./answer-file.js").Answers} Answers */

/**
 * The answer file's `learner:`, remembered under LEARNER_KEY for every page.
 * @typedef {object} Learner
 * @property {string} id
 * @property {string} name  "" when the learner gives none
 */
/**
 * A quiz's answers so far, under quizKey(quiz id).
 * @typedef {object} SavedQuiz
 * @property {string} version  the quiz version they were given against
 * @property {Answers} answers
 */
/**
 * A practice dialogue's path so far, under dialogueKey(scenario id).
 * @typedef {object} SavedPath
 * @property {string} version
 * @property {string[]} path  reply ids in the order taken
 * @property {number} [seed]  what dealt its variant and details, for a dialogue that has them
 */

export const LEARNER_KEY = "course:learner";
/** @param {string} quizId */
export const quizKey = (quizId) => "course:quiz:" + quizId;
/** @param {string} scenarioId */
export const dialogueKey = (scenarioId) => "course:dialogue:" + scenarioId;

/**
 * What the script saved under `key`, or an empty object when there is none or it cannot be read.
 * @template Saved
 * @param {string} key
 * @returns {Partial<Saved>}
 */
export function readStored(key) {
  try {
    const saved = JSON.parse(localStorage.getItem(key) || "null");
    return saved && typeof saved === "object" ? saved : {};
  } catch (error) {
    return {};
  }
}
/**
 * Saves `value` under `key`, or forgets the key when `value` is null.
 * @param {string} key
 * @param {unknown} value
 */
export function writeStored(key, value) {
  // Private windows or a full store: the page still works, it only forgets.
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch (error) {}
}
