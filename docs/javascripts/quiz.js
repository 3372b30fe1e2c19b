// The quiz form: its answers saved as they change, dialogue questions, the hand-in, the learner's progress, the self-check.
import { confirmed, find, findAll, payload, speaker } from "./dom.js";
import { startDialogue } from "./dialogue.js";
import { handInPanel } from "./learner.js";
import { recordProgress } from "./progress-store.js";
import { markEnds, readAnswer, showAnswer, startControls } from "./questions.js";
import { quizKey, readStored, writeStored } from "./store.js";
/** @typedef {import("./answer-file.js").Answers} Answers */
/** @typedef {import("./dialogue.js").DialogueWidget} DialogueWidget */
/** @typedef {import("./learner.js").LearnerRule} LearnerRule */
/** @typedef {import("./questions.js").QuestionType} QuestionType */
/** @typedef {import("./self-check.js").SelfCheck} SelfCheck */
/** @typedef {import("./store.js").SavedQuiz} SavedQuiz */

/**
 * @typedef {object} QuizQuestion
 * @property {string} id
 * @property {QuestionType} type
 * @property {number} number  as the page shows it, from 1
 * @property {number} points
 */
/**
 * A quiz: its questions without their answers, which stay in quizzes/keys/ (but in the self-study build's `check`).
 * @typedef {object} QuizData
 * @property {string} quiz  the quiz id
 * @property {string} title
 * @property {string} version  the content version the answer file names
 * @property {QuizQuestion[]} questions  in page order
 * @property {LearnerRule} learner
 * @property {SelfCheck} [check]  the self-study build only: the key, to score on the page
 */

/** @param {HTMLElement} root */
function startQuiz(root) {
  /** @type {QuizData} */
  const quiz = payload(root);
  /** @type {HTMLFormElement} */
  const form = find(root, "form");
  const storageKey = quizKey(quiz.quiz);
  const panel = find(root, ":scope > [data-handin]");
  const say = speaker(find(panel, "[data-status]"));
  const controls = startControls(form, say, () => save());
  const fields = controls.fields;
  /** @type {Record<string, DialogueWidget>} */
  const dialogues = {};
  /** @type {Record<string, string[]>} */
  const paths = {};
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
  /** @param {Answers} answers */
  const answeredCount = (answers) => quiz.questions.filter((question) => question.id in answers
    && (question.type !== "dialogue" || dialogues[question.id].ended())).length;
  // The progress view counts answered questions (a dialogue once it has ended); the answers themselves stay here.
  const recordAnswered = (/** @type {Answers} */ answers) => recordProgress("quizzes", quiz.quiz, { answered: answeredCount(answers), questions: quiz.questions.length });
  function save() {
    const answers = currentAnswers();
    writeStored(storageKey, { version: quiz.version, answers });
    recordAnswered(answers);
  }

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
    if (savedAnswer !== undefined) showAnswer[question.type](field, savedAnswer);
    if (question.type === "ordering") markEnds(find(field, "ol"));
  });
  if (saved.answers) recordAnswered(currentAnswers());

  form.addEventListener("input", save);

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
  }, () => recordProgress("quizzes", quiz.quiz, { handedIn: true }));
  const startOver = find(panel, "[data-action=start-over]");
  startOver.addEventListener("click", () => {
    if (!confirmed(startOver, say)) return;
    writeStored(storageKey, null);
    controls.reset();
    Object.keys(dialogues).forEach((questionId) => {
      paths[questionId] = [];
      dialogues[questionId].reset();
    });
    recordAnswered({});
    root.dispatchEvent(new Event("course:cleared"));
    say("Your answers are cleared.");
  });
  // The self-study build only: the default build's quiz pages load no scoring code.
  if (quiz.check) {
    const check = quiz.check;
    import("./self-check.js").then((module) => module.startSelfCheck(root, check, fields, currentAnswers));
  }
  find(root, ":scope > [data-nojs]").hidden = true;
  if (saved.version && saved.version !== quiz.version) say("This quiz has changed since your answers were saved; check them before you download.");
}

/** Quizzes, each keeping its answers, its dialogue questions' paths included, and recording the learner's progress. */
export const quizWidget = { selector: "[data-course-quiz]", start: startQuiz };
