// The answer file: the YAML the grader reads (DESIGN.md, "The answer file"), and its download.
import { element } from "./dom.js";
/** @typedef {import("./store.js").Learner} Learner */

/**
 * A dialogue's answer when the page dealt it a variant or details: the path, and the seed that dealt them.
 * @typedef {{replies: string[], variant?: string, seed: number}} DealtPath
 */
/** @typedef {string | boolean | string[] | Record<string, string> | DealtPath} Answer  One question's answer, as the answer file holds it. */
/** @typedef {Record<string, Answer>} Answers  By question id. */
/**
 * What a widget hands in: with the learner, everything in the answer file (DESIGN.md, "The answer file").
 * @typedef {object} HandIn
 * @property {string} activity  the quiz or dialogue id, the file's `quiz:`
 * @property {string} version
 * @property {Answers} answers
 * @property {string} note  what is left unanswered, said before the download ("" for nothing)
 */

/**
 * @param {unknown} value
 * @returns {string}  a double-quoted YAML string
 */
function yamlString(value) {
  let text = String(value);
  // toWellFormed is ES2024, so older browsers go without it.
  const wellFormed = /** @type {{toWellFormed?: () => string}} */ (text);
  if (wellFormed.toWellFormed) text = wellFormed.toWellFormed();
  // JSON strings are YAML strings once the characters YAML readers refuse are escaped.
  return JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (character) => "\\u" + character.charCodeAt(0).toString(16).padStart(4, "0"));
}
/**
 * @param {unknown} answer  an Answer, or a part of one
 * @returns {string}  YAML in flow style, on one line
 */
function yamlValue(answer) {
  if (typeof answer === "boolean" || typeof answer === "number") return String(answer);
  if (Array.isArray(answer)) return "[" + answer.map(yamlValue).join(", ") + "]";
  if (answer && typeof answer === "object") {
    const parts = /** @type {Record<string, unknown>} */ (answer);
    return "{" + Object.keys(parts).map((key) => yamlString(key) + ": " + yamlValue(parts[key])).join(", ") + "}";
  }
  return yamlString(answer);
}
/**
 * @param {HandIn} handIn
 * @param {Learner} learner
 * @returns {string}  the answer file's YAML
 */
export function answerFile(handIn, learner) {
  const lines = ["format: 1", "quiz: " + yamlString(handIn.activity), "version: " + yamlString(handIn.version),
    "learner:", "  id: " + yamlString(learner.id)];
  if (learner.name) lines.push("  name: " + yamlString(learner.name));
  lines.push("submitted: " + yamlString(new Date().toISOString().replace(/\.\d+Z$/, "Z")));
  const questionIds = Object.keys(handIn.answers);
  lines.push(questionIds.length ? "answers:" : "answers: {}");
  questionIds.forEach((id) => lines.push("  " + yamlString(id) + ": " + yamlValue(handIn.answers[id])));
  return lines.join("\n") + "\n";
}
/**
 * @param {string} fileName
 * @param {string} text
 * @param {string} [type]  the file's media type
 */
export function download(fileName, text, type = "application/yaml") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = element("a");
  link.href = url;
  link.download = fileName;
  link.click(); // left out of the document so Material's instant navigation never sees the click
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
