// What a learner has done, as each widget records it: one small record per lesson, practice set, dialogue and quiz.
import { readStored, writeStored } from "./store.js";

/** The one localStorage key for every progress record; the format number changes only with the shape. */
export const PROGRESS_KEY = "course:progress:v1";

/**
 * A lesson page the learner has read (scrolled to its end or spent time on).
 * @typedef {object} LessonRecord
 * @property {boolean} read
 */
/**
 * A practice question set, with the score of the learner's latest try.
 * @typedef {object} PracticeRecord
 * @property {number} answered  questions answered at least once
 * @property {number} questions
 * @property {number} score  points, on the grader's scale
 * @property {number} max
 */
/**
 * A practice dialogue, with the best ending reached so far.
 * @typedef {object} DialogueRecord
 * @property {boolean} finished  reached an ending at least once
 * @property {string} [bestEnding]  ending id of the best play so far
 * @property {string} [bestOutcome]  resolved_retained | resolved | escalated | lost
 * @property {string} [bestTitle]  that ending's title, for the progress view
 */
/**
 * A graded quiz: how much is answered, and whether the answer file was downloaded to hand in.
 * @typedef {object} QuizRecord
 * @property {number} answered
 * @property {number} questions
 * @property {boolean} handedIn
 */
/**
 * Every record, by kind and then by id (lesson page path, `lesson#set`, scenario id, quiz id).
 * @typedef {object} Progress
 * @property {Record<string, LessonRecord>} lessons
 * @property {Record<string, PracticeRecord>} practice
 * @property {Record<string, DialogueRecord>} dialogues
 * @property {Record<string, QuizRecord>} quizzes
 */
/** @typedef {keyof Progress} ProgressKind */

/** @returns {Progress} */
function empty() {
  return { lessons: {}, practice: {}, dialogues: {}, quizzes: {} };
}

/**
 * Every progress record saved in this browser; kinds that are missing or malformed come back empty.
 * @returns {Progress}
 */
export function readProgress() {
  const saved = /** @type {Partial<Record<string, unknown>>} */ (readStored(PROGRESS_KEY));
  const progress = empty();
  for (const kind of /** @type {ProgressKind[]} */ (Object.keys(progress))) {
    const records = saved[kind];
    if (records && typeof records === "object" && !Array.isArray(records)) progress[kind] = /** @type {any} */ (records);
  }
  return progress;
}

/**
 * Merges `fields` into the record of one lesson, practice set, dialogue or quiz, and saves every record.
 * @template {ProgressKind} Kind
 * @param {Kind} kind
 * @param {string} id
 * @param {Partial<Progress[Kind][string]>} fields
 */
export function recordProgress(kind, id, fields) {
  const progress = readProgress();
  const records = /** @type {Record<string, object>} */ (progress[kind]);
  records[id] = { ...(records[id] || {}), ...fields };
  writeStored(PROGRESS_KEY, progress);
}

/**
 * Replaces every record (after an import), or forgets them all when `progress` is null.
 * @param {Progress | null} progress
 */
export function writeProgress(progress) {
  writeStored(PROGRESS_KEY, progress);
}
