// The self-study build's "Check my answers": a graded quiz scored on the page with its published key, and what to revisit.
import { element, find, payload } from "./dom.js";
import { pythonRound } from "./python-values.js";
import { scoreDialogue, scoreItem, total } from "./scoring.js";
import { clearVerdict, scoreText, showVerdict, tally, tallyText } from "./verdicts.js";
/** @typedef {import("./answer-file.js").Answers} Answers */
/** @typedef {import("./scoring.js").ItemResult} ItemResult */
/** @typedef {import("./verdicts.js").ScoredItem} ScoredItem */

/**
 * What the self-study build adds to a quiz's data (grader/site/quiz_form.py): the key, published on purpose.
 * @typedef {object} SelfCheck
 * @property {number} penalty  the key's negative_marking
 * @property {ScoredItem[]} items  in question order; dialogue questions score by their scenario
 */

/**
 * The sections to revisit, once each, with the questions that send the learner there.
 * @param {ItemResult[]} results
 * @param {ScoredItem[]} items
 * @returns {HTMLElement | null}
 */
function revisitList(results, items) {
  /** @type {Map<string, {name: string, numbers: number[]}>} */
  const sections = new Map();
  results.forEach((result, at) => {
    const lesson = items[at].lesson;
    if (result.correct || !lesson) return;
    const entry = sections.get(lesson.href) || { name: lesson.name, numbers: [] };
    entry.numbers.push(items[at].number);
    sections.set(lesson.href, entry);
  });
  if (!sections.size) return null;
  const list = element("ul");
  sections.forEach((entry, href) => {
    const link = element("a", null, entry.name), item = element("li");
    link.href = href;
    item.append(link, " (question" + (entry.numbers.length > 1 ? "s " : " ") + entry.numbers.join(", ") + ")");
    list.append(item);
  });
  return list;
}

/**
 * Brings the quiz's Check my answers block to life.
 * @param {HTMLElement} root  the quiz
 * @param {SelfCheck} check
 * @param {Record<string, HTMLElement>} fields  the questions' fieldsets by id
 * @param {() => Answers} answers  the answers as the form shows them now
 */
export function startSelfCheck(root, check, fields, answers) {
  const block = find(root, ":scope > [data-self-check]");
  const shown = find(block, "[data-results]");
  // A verdict describes the answer it scored: any change to a question (a choice, a move, a reply) clears its own.
  const changed = (/** @type {Event} */ event) => {
    const target = /** @type {Element} */ (event.target);
    /** @type {HTMLElement | null} */
    const field = target.closest("fieldset[data-question]");
    if (field && (event.type === "input" || target.closest("button"))) clearVerdict(field);
  };
  const form = find(root, "form");
  form.addEventListener("input", changed);
  form.addEventListener("click", changed);
  root.addEventListener("course:cleared", () => {
    Object.values(fields).forEach(clearVerdict);
    shown.hidden = true;
  });
  find(block, "[data-action=check]").addEventListener("click", () => {
    const given = answers();
    const results = check.items.map((item) => {
      const answer = given[item.id] === undefined ? null : given[item.id];
      return item.type === "dialogue"
        ? scoreDialogue(item, item.key, answer, payload(find(fields[item.id], "[data-course-dialogue]")))
        : scoreItem(item, item.key, answer, check.penalty);
    });
    results.forEach((result, at) => showVerdict(fields[result.question], result, check.items[at], true));
    const sum = tally(results, total(results));
    // As the gradebook writes it (QuizResult.percent).
    const percent = sum.max ? pythonRound((100 * sum.score) / sum.max, 2) : 0;
    const revisit = revisitList(results, check.items);
    shown.replaceChildren(
      element("p", "course-results-title", "Your score: " + scoreText(sum.score, sum.max) + " (" + percent + "%)"),
      element("p", null, tallyText(sum).replace(/^[^:]*: /, "").replace(/^./, (first) => first.toUpperCase())),
      element("p", null, revisit ? "What to revisit:" : "Nothing to revisit: every answer is right."),
    );
    if (revisit) shown.append(revisit);
    shown.hidden = false;
    // Focus, rather than a live region, so the result is read once and the keyboard continues from it.
    shown.focus();
  });
  block.hidden = false;
}
