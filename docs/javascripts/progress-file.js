// The progress file a learner carries to another browser: writing it, and checking one before anything is changed.
/** @typedef {import("./progress-store.js").Progress} Progress */
/** @typedef {import("./progress-store.js").ProgressKind} ProgressKind */

export const FILE_FORMAT = "course-progress";
export const FILE_VERSION = 1;
/** A progress file is a few kilobytes; anything far larger is not one. */
export const LARGEST_FILE = 256 * 1024;
const MOST_RECORDS = 2000;
const OUTCOMES = ["lost", "escalated", "resolved", "resolved_retained"];

/**
 * The file's text: what it is, which course it belongs to, when it was saved, and every record.
 * @param {Progress} progress
 * @param {string} course  the site's name
 * @returns {string}
 */
export function progressFile(progress, course) {
  return JSON.stringify({ format: FILE_FORMAT, version: FILE_VERSION, course, saved: new Date().toISOString(), progress }, null, 1) + "\n";
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
const isMapping = (value) => !!value && typeof value === "object" && !Array.isArray(value);
// Every id the course records by: a page path, `lesson#section`, a scenario or quiz id.
const ID = /^[A-Za-z0-9][A-Za-z0-9_.\/#-]{0,199}$/;
/** @type {Record<string, (value: unknown) => boolean>} */
const VALUES = {
  flag: (value) => typeof value === "boolean",
  count: (value) => typeof value === "number" && Number.isFinite(value) && value >= 0,
  text: (value) => typeof value === "string" && value.length <= 500,
  outcome: (value) => OUTCOMES.includes(/** @type {string} */ (value)),
};
/**
 * The fields of each kind of record, as the widgets write them ("?": a field a record may lack); any other is foreign.
 * @type {Record<ProgressKind, Record<string, string>>}
 */
const FIELDS = {
  lessons: { read: "flag" },
  practice: { answered: "count", questions: "count", score: "count", max: "count" },
  dialogues: { finished: "flag?", bestEnding: "text?", bestOutcome: "outcome?", bestTitle: "text?" },
  quizzes: { answered: "count?", questions: "count?", handedIn: "flag?" },
};

/**
 * What is wrong with one record, or "".
 * @param {string} id
 * @param {unknown} record
 * @param {Record<string, string>} fields
 */
function recordProblem(id, record, fields) {
  if (!ID.test(id)) return "its id is not one this course uses";
  if (!isMapping(record)) return "it is not a set of fields";
  const fits = (/** @type {string} */ name) => {
    const kind = fields[name];
    return (kind.endsWith("?") && record[name] === undefined) || VALUES[kind.replace("?", "")](record[name]);
  };
  const odd = Object.keys(record).find((name) => !(name in fields)) || Object.keys(fields).find((name) => !fits(name));
  return odd ? "its field `" + odd + "` is not what the course writes" : "";
}

/**
 * The progress a file holds, or why it is refused: checked whole before anything is kept.
 * @param {string} text
 * @param {string} course  this site's name; a file saved from another course is refused
 * @returns {{progress: Progress} | {problem: string}}
 */
export function readProgressFile(text, course) {
  /** @type {unknown} */
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: "it is not a progress file (it is not JSON); choose the file that Save my progress to a file made" };
  }
  if (!isMapping(data) || data.format !== FILE_FORMAT) {
    return { problem: "it is not a progress file of this course; choose the file that Save my progress to a file made" };
  }
  if (data.version !== FILE_VERSION) return { problem: "it was saved by another version of the course (format " + String(data.version) + ")" };
  if (data.course !== course) return { problem: "it holds the progress of another course, " + JSON.stringify(String(data.course).slice(0, 80)) };
  const saved = data.progress;
  if (!isMapping(saved)) return { problem: "it holds no progress records" };
  /** @type {Progress} */
  const progress = { lessons: {}, practice: {}, dialogues: {}, quizzes: {} };
  for (const kind of /** @type {ProgressKind[]} */ (Object.keys(FIELDS))) {
    const records = saved[kind] === undefined ? {} : saved[kind];
    if (!isMapping(records)) return { problem: "its " + kind + " are not a set of records" };
    const ids = Object.keys(records);
    if (ids.length > MOST_RECORDS) return { problem: "it has more " + kind + " records than any course has" };
    for (const id of ids) {
      const wrong = recordProblem(id, records[id], FIELDS[kind]);
      if (wrong) return { problem: "the " + kind + " record " + JSON.stringify(id.slice(0, 80)) + " is damaged: " + wrong };
    }
    progress[kind] = /** @type {any} */ (records);
  }
  return { progress };
}

/**
 * @template Kept
 * @param {Record<string, Kept>} here
 * @param {Record<string, Kept>} there
 * @param {(mine: Kept, theirs: Kept) => Kept} better
 */
function mergeKind(here, there, better) {
  const merged = { ...here };
  for (const id of Object.keys(there)) merged[id] = here[id] ? better(here[id], there[id]) : there[id];
  return merged;
}

/**
 * This browser's progress and a file's together, so that nothing done in either is lost: each record keeps the better
 * of the two (read, finished and handed in once are kept; the higher practice score; the better dialogue ending).
 * @param {Progress} here
 * @param {Progress} there
 * @returns {Progress}
 */
export function mergeProgress(here, there) {
  return {
    lessons: mergeKind(here.lessons, there.lessons, (mine, theirs) => ({ read: mine.read || theirs.read })),
    practice: mergeKind(here.practice, there.practice, (mine, theirs) => {
      const best = theirs.score > mine.score ? theirs : mine;
      return { ...best, answered: Math.max(mine.answered, theirs.answered) };
    }),
    dialogues: mergeKind(here.dialogues, there.dialogues, (mine, theirs) => {
      const rank = (/** @type {typeof mine} */ record) => OUTCOMES.indexOf(record.bestOutcome || "");
      const best = rank(theirs) > rank(mine) ? theirs : mine;
      return { ...best, finished: !!(mine.finished || theirs.finished) };
    }),
    quizzes: mergeKind(here.quizzes, there.quizzes, (mine, theirs) => ({
      answered: Math.max(mine.answered || 0, theirs.answered || 0), questions: theirs.questions || mine.questions,
      handedIn: !!(mine.handedIn || theirs.handedIn),
    })),
  };
}
