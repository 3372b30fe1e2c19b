// The grader's scoring rules (grader/grading/scoring.py), ported exactly: every type and policy, the penalty, the rounding.
import { normaliseText } from "./normalise.js";
import { pythonRepr, pythonRound, pythonStr, round4 } from "./python-values.js";
import { bestScore, replay } from "./scenario.js";
/** @typedef {import("./scenario.js").DialogueData} DialogueData */

/** @typedef {"single" | "multiple" | "true_false" | "ordering" | "matching" | "short_text" | "dialogue"} ScoredType  dialogue: scoreDialogue */
/**
 * A question as scoring needs it: its ids, never its text.
 * @typedef {object} ScoredQuestion
 * @property {string} id
 * @property {ScoredType} type
 * @property {number} points
 * @property {string[]} options  single and multiple: option ids, in order
 * @property {string[]} items  ordering: item ids, in the order shown
 * @property {string[]} pairs  matching: pair ids
 * @property {string[]} choices  matching: choice ids
 */
/**
 * One question's key, as grader.course.ItemKey holds it (its policy already defaulted by type).
 * @typedef {object} ItemKey
 * @property {any} correct
 * @property {string | null} policy
 * @property {Record<string, number>} weights
 * @property {Record<string, string>} feedback
 * @property {string[]} accept
 * @property {string | null} pattern
 */
/**
 * The score and feedback for one answer, as scoring.py's ItemResult has them.
 * @typedef {object} ItemResult
 * @property {string} question
 * @property {number} score
 * @property {number} max
 * @property {boolean} answered
 * @property {boolean} correct  full marks
 * @property {string[]} feedback
 * @property {string} note  why the answer could not be used as given ("" when it could)
 */

// A penalty applies only where a wrong answer is a single clear choice.
const PENALISED = ["single", "true_false"];
const PENALISED_POLICIES = ["multiple all_or_nothing", "ordering all_or_nothing", "matching all_or_nothing"];

/**
 * Not answered: nothing, or an empty text, list or mapping.
 * @param {unknown} answer
 */
function blank(answer) {
  if (answer === null || answer === undefined || answer === "") return true;
  if (Array.isArray(answer)) return answer.length === 0;
  return typeof answer === "object" && Object.keys(/** @type {object} */ (answer)).length === 0;
}
/**
 * A whole number as JSON carries one, which Python reads as an int.
 * @param {unknown} value
 */
const isInt = (value) => typeof value === "number" && Number.isInteger(value);
/**
 * A list of ids from a list answer (or one id written alone), else null.
 * @param {unknown} answer
 * @returns {string[] | null}
 */
function ids(answer) {
  if (typeof answer === "string") return [answer];
  if (Array.isArray(answer) && answer.every((id) => typeof id === "string" || isInt(id))) return answer.map(pythonStr);
  return null;
}
/**
 * Python's sorted() of ids compared as lists: any one order serves, since only equality is asked.
 * @param {string[]} list
 */
const sortedText = (list) => JSON.stringify(list.slice().sort());

/**
 * Length of the longest subsequence of `answer` in the same relative order as `correct` (a repeated item counts once).
 * @param {string[]} answer
 * @param {string[]} correct
 * @returns {number}
 */
export function longestOrdered(answer, correct) {
  /** @type {number[]} */
  const tails = [];
  for (const item of new Set(answer)) {
    const rank = correct.indexOf(item);
    if (rank < 0) continue;
    let at = 0;
    while (at < tails.length && tails[at] < rank) at++;
    tails[at] = rank;
  }
  return tails.length;
}

/**
 * @param {ScoredQuestion} question
 * @param {unknown} answer
 * @param {number} fraction
 * @param {string[]} feedback
 * @param {string} [note]
 * @param {number} [penalty]
 * @param {string | null} [policy]
 * @returns {ItemResult}
 */
function result(question, answer, fraction, feedback, note = "", penalty = 0, policy = null) {
  const answered = !blank(answer);
  const wrong = answered && fraction < 1 && !note;
  const penalised = PENALISED.includes(question.type) || PENALISED_POLICIES.includes(question.type + " " + policy);
  const score = wrong && penalty && penalised ? -penalty * question.points : question.points * Math.min(Math.max(fraction, 0), 1);
  return {
    question: question.id, score: round4(score), max: question.points, answered, correct: answered && fraction >= 1,
    feedback: feedback.filter(Boolean), note,
  };
}
/**
 * @param {ItemKey} key
 * @param {boolean} right
 */
const verdict = (key, right) => key.feedback[right ? "correct" : "incorrect"] || "";

/**
 * Python's re.fullmatch(pattern, text, re.IGNORECASE); grader check allows only patterns both languages read alike.
 * @param {string} pattern
 * @param {string} text
 */
const fullMatch = (pattern, text) => new RegExp("^(?:" + pattern + ")$", "iu").test(text);

/**
 * Scores one answer as scoring.py's score_item does; an answer of the wrong shape scores 0 with a note saying why.
 * @param {ScoredQuestion} question
 * @param {ItemKey} key
 * @param {unknown} answer
 * @param {number} [penalty]  the key's negative_marking
 * @returns {ItemResult}
 */
export function scoreItem(question, key, answer, penalty = 0) {
  if (blank(answer)) return result(question, null, 0, [], "not answered");
  const given = /** @type {any} */ (answer);
  if (question.type === "single") {
    const options = question.options;
    if (!(typeof given === "string" || isInt(given)) || !options.includes(pythonStr(given))) {
      return result(question, given, 0, [], pythonRepr(given) + " is not one of the options (" + options.join(", ") + ")");
    }
    const chosen = pythonStr(given);
    return result(question, given, Number(chosen === key.correct), [key.feedback[chosen] || ""], "", penalty);
  }
  if (question.type === "true_false") {
    if (typeof given !== "boolean") return result(question, given, 0, [], "answer with true or false");
    return result(question, given, Number(given === key.correct), [key.feedback[String(given)] || ""], "", penalty);
  }
  if (question.type === "multiple") {
    const options = question.options, chosen = ids(given);
    if (chosen === null || chosen.some((id) => !options.includes(id))) {
      return result(question, given, 0, [], "answer with a list of option ids from: " + options.join(", "));
    }
    const picked = new Set(chosen), right = new Set(/** @type {string[]} */ (key.correct));
    const hits = chosen.filter((id, at) => right.has(id) && chosen.indexOf(id) === at).length;
    let fraction;
    if (key.policy === "right_minus_wrong") fraction = (hits - (picked.size - hits)) / right.size;
    // Summed in the options' order and rounded, as scoring.py does: weights that add up to 1 give full marks.
    else if (key.policy === "weights") fraction = pythonRound(options.filter((id) => picked.has(id)).reduce((sum, id) => sum + (key.weights[id] || 0), 0), 9);
    else fraction = Number(hits === right.size && picked.size === right.size);
    // Feedback on what they picked, then on the right options they missed.
    const notes = options.filter((id) => picked.has(id)).concat(options.filter((id) => right.has(id) && !picked.has(id)));
    return result(question, given, fraction, notes.map((id) => key.feedback[id] || ""), "", penalty, key.policy);
  }
  if (question.type === "ordering") {
    const items = question.items, order = ids(given);
    if (order === null || sortedText(order) !== sortedText(items)) {
      return result(question, given, 0, [], "answer with every item id once, in your order (" + items.join(", ") + ")");
    }
    let fraction;
    if (key.policy === "subsequence") {
      const run = longestOrdered(order, key.correct);
      fraction = run >= 2 ? run / items.length : 0;
    } else fraction = Number(JSON.stringify(order) === JSON.stringify(key.correct));
    return result(question, given, fraction, [verdict(key, fraction >= 1)], "", penalty, key.policy);
  }
  if (question.type === "matching") {
    const pairs = question.pairs;
    if (typeof given !== "object" || Array.isArray(given) || Object.keys(given).some((pair) => !pairs.includes(pair))) {
      return result(question, given, 0, [], "answer with a mapping of each of " + pairs.join(", ") + " to a choice id");
    }
    /** @type {Record<string, string>} */
    const matched = {};
    // Python's bool is an int, so true and false count as ids here ("True", "False"), as in scoring.py.
    for (const pair of Object.keys(given)) {
      const choice = given[pair];
      if ((typeof choice === "string" || typeof choice === "boolean" || isInt(choice)) && question.choices.includes(pythonStr(choice))) {
        matched[pair] = pythonStr(choice);
      }
    }
    const hits = Object.keys(key.correct).filter((pair) => matched[pair] === key.correct[pair]).length;
    const fraction = key.policy === "per_pair" ? hits / pairs.length : Number(hits === pairs.length);
    return result(question, given, fraction, [verdict(key, fraction >= 1)], "", penalty, key.policy);
  }
  if (question.type === "short_text") {
    if (!(typeof given === "string" || typeof given === "number")) return result(question, given, 0, [], "answer with a word or phrase");
    const text = normaliseText(pythonStr(given));
    let right = key.accept.some((accepted) => normaliseText(accepted) === text);
    if (!right && key.pattern) right = fullMatch(key.pattern, text);
    return result(question, given, Number(right), [verdict(key, right)]);
  }
  return result(question, given, 0, [], "unknown question type " + question.type);
}

/**
 * The total of a quiz's item scores as score_quiz makes it: added in question order, rounded, never below 0.
 * @param {ItemResult[]} items
 * @returns {number}
 */
export const total = (items) => Math.max(0, round4(items.reduce((sum, item) => sum + item.score, 0)));

/**
 * Scores a dialogue question's path as scoring.py's _dialogue_item does: points × raw ÷ best, kept in range, rounded twice.
 * @param {ScoredQuestion} question
 * @param {ItemKey} key
 * @param {unknown} answer  the path: reply ids in the order taken
 * @param {DialogueData} scenario
 * @returns {ItemResult}
 */
export function scoreDialogue(question, key, answer, scenario) {
  const asked = question;
  if (blank(answer)) return result(asked, null, 0, [], "not answered");
  const path = Array.isArray(answer) ? answer : [answer];
  const played = replay(scenario, path);
  if (!played.ending || played.path.length !== path.length) {
    return result(asked, answer, 0, [], played.ending ? "the dialogue ended before the last choice" : "the path stops at node " + played.node + " before an ending");
  }
  const best = bestScore(scenario), points = question.points;
  const score = !best || best <= 0 ? 0 : round4(Math.min(Math.max(points * played.raw / best, 0), points));
  const fraction = points ? score / points : 0;
  return result(asked, answer, fraction, [scenario.endings[played.ending].debrief ?? "", verdict(key, fraction >= 1)]);
}
