// What the page says under a scored question (right or not, why, the answer, where to look) and over a scored set.
import { element } from "./dom.js";
/** @typedef {import("./scoring.js").ItemResult} ItemResult */
/** @typedef {import("./scoring.js").ItemKey} ItemKey */
/** @typedef {import("./scoring.js").ScoredQuestion} ScoredQuestion */

/**
 * A question the page scores, as grader/site/scoring_data.py writes it: its ids, key, answer in words, section.
 * @typedef {ScoredQuestion & {number: number, key: ItemKey, answer: string, lesson: {href: string, name: string} | null}} ScoredItem
 */
/**
 * @typedef {object} Tally  A scored set's sum.
 * @property {number} score
 * @property {number} max
 * @property {number} right
 * @property {number} partly
 * @property {number} wrong
 * @property {number} unanswered
 */

/**
 * "1 point", "2.5 points", "−0.25 points", as grader/common/text.py points() writes them.
 * @param {number} value
 */
export function pointsText(value) {
  const shown = Math.round(value * 100) / 100;
  return (shown < 0 ? "\u2212" + -shown : String(shown)) + (shown === 1 ? " point" : " points");
}

/**
 * @param {ItemResult} result
 * @returns {"right" | "partly" | "wrong" | "none"}
 */
const outcome = (result) => (!result.answered ? "none" : result.correct ? "right" : result.score > 0 ? "partly" : "wrong");
const TITLES = { right: "Right", partly: "Partly right", wrong: "Not right", none: "Not answered" };
// A mark beside the words, never instead of them (WCAG 1.4.1).
const MARKS = { right: "\u2713", partly: "\u25d1", wrong: "\u2717", none: "\u2013" };

/**
 * A paragraph of author HTML: feedback and answers come from the course files, rendered by the build, never from a learner.
 * @param {string} html
 * @param {string | null} [className]
 */
function authored(html, className) {
  const paragraph = element("p", className);
  paragraph.innerHTML = html;
  return paragraph;
}

/**
 * The verdict area at the end of a question's fieldset, emptied (made when first needed).
 * @param {HTMLElement} field
 */
function verdictArea(field) {
  /** @type {HTMLElement | null} */
  const found = field.querySelector(":scope > [data-verdict]");
  const area = found || field.appendChild(element("div", "course-verdict"));
  area.dataset.verdict = "1";
  area.replaceChildren();
  return area;
}

/**
 * The right answer in words, under a question: after a try, or when the learner asks.
 * @param {HTMLElement} area
 * @param {ScoredItem} item
 */
function answerLine(area, item) {
  if (!item.answer) return;
  const line = element("div", "course-answer");
  line.append(element("strong", null, "The answer: "));
  const words = element("span");
  words.innerHTML = item.answer;
  line.append(words);
  area.append(line);
}

/**
 * Shows how one answer scored: the verdict and points, the key's feedback, the right answer once tried, the section.
 * @param {HTMLElement} field
 * @param {ItemResult} result
 * @param {ScoredItem} item
 * @param {boolean} revisit  link the lesson section when the answer fell short
 */
export function showVerdict(field, result, item, revisit) {
  const area = verdictArea(field), kind = outcome(result);
  area.dataset.outcome = kind;
  const title = element("p", "course-verdict-title"), mark = element("span", "course-mark", MARKS[kind]);
  mark.setAttribute("aria-hidden", "true");
  title.append(mark);
  title.append(" " + TITLES[kind] + (result.answered ? ": " + scoreText(result.score, result.max) + "." : "."));
  area.append(title);
  result.feedback.forEach((text) => area.append(authored(text)));
  if (result.answered && !result.correct) answerLine(area, item);
  if (revisit && !result.correct && item.lesson) {
    const link = element("a", null, "Revisit: " + item.lesson.name);
    link.href = item.lesson.href;
    const paragraph = element("p");
    paragraph.append(link);
    area.append(paragraph);
  }
}

/**
 * Shows the right answer under a question without scoring it.
 * @param {HTMLElement} field
 * @param {ScoredItem} item
 */
export function showRightAnswer(field, item) {
  const area = verdictArea(field);
  area.dataset.outcome = "shown";
  if (item.answer) answerLine(area, item);
  else area.append(authored(item.key.feedback.correct || "", null));
}

/** @param {HTMLElement} field */
export function clearVerdict(field) {
  /** @type {HTMLElement | null} */
  const area = field.querySelector(":scope > [data-verdict]");
  if (area) area.remove();
}

/**
 * @param {ItemResult[]} results
 * @param {number} score  the total as scoring.js's total() makes it
 * @returns {Tally}
 */
export function tally(results, score) {
  /** @type {Tally} */
  const sum = { score, max: 0, right: 0, partly: 0, wrong: 0, unanswered: 0 };
  results.forEach((result) => {
    sum.max += result.max;
    const kind = outcome(result);
    if (kind === "right") sum.right++;
    else if (kind === "partly") sum.partly++;
    else if (kind === "wrong") sum.wrong++;
    else sum.unanswered++;
  });
  return sum;
}

/**
 * "3 of 5 points", "1.67 of 2 points".
 * @param {number} score
 * @param {number} max
 */
export const scoreText = (score, max) => pointsText(score).replace(/ points?$/, "") + " of " + pointsText(max);

/**
 * "3 of 5 points: 1 right, 1 partly right, 1 not right, 1 not answered."
 * @param {Tally} sum
 */
export function tallyText(sum) {
  const parts = [[sum.right, "right"], [sum.partly, "partly right"], [sum.wrong, "not right"], [sum.unanswered, "not answered"]]
    .filter(([count]) => count).map(([count, words]) => count + " " + words);
  return scoreText(sum.score, sum.max) + ": " + parts.join(", ") + ".";
}

/**
 * The fieldset of a question, from any element inside it.
 * @param {EventTarget | null} target
 * @returns {HTMLElement | null}
 */
export const fieldOf = (target) => (target instanceof Element ? target.closest("[data-question]") : null);
