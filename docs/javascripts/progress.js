// The learner's progress as this browser stores it: the home page's overview (save, load, clear), and each lesson's own.
import { download } from "./answer-file.js";
import { confirmed, element, find, findAll, payload, speaker } from "./dom.js";
import { mergeProgress, LARGEST_FILE, progressFile, readProgressFile } from "./progress-file.js";
import { readProgress, recordProgress, writeProgress } from "./progress-store.js";
/** @typedef {import("./progress-store.js").Progress} Progress */

/**
 * A lesson as grader/site/progress_view.py describes it, with links from the page showing it.
 * @typedef {object} LessonEntry
 * @property {number} number
 * @property {string} page  its page under docs/: the id of its record
 * @property {string} title
 * @property {string} href
 * @property {number} minutes
 * @property {{id: string, questions: number}[]} practice
 * @property {{id: string, title: string}[]} dialogues
 * @property {{id: string, title: string, href: string, questions: number}[]} quizzes
 */
/**
 * @typedef {object} ProgressData
 * @property {"course" | "lesson"} view  the home page's overview, or the top of one lesson
 * @property {string} course  the site's name, which a progress file must carry
 * @property {LessonEntry[]} lessons
 */
/** @typedef {{read: string, practice: string, dialogue: string, quiz: string, done: boolean}} LessonState */

const OUTCOMES = { resolved_retained: "resolved, customer kept", resolved: "resolved", escalated: "escalated", lost: "lost" };

/**
 * What the learner has done in one lesson, in words.
 * @param {LessonEntry} lesson
 * @param {Progress} progress
 * @returns {LessonState}
 */
function stateOf(lesson, progress) {
  const read = !!(progress.lessons[lesson.page] || { read: false }).read;
  const sets = lesson.practice.map((set) => progress.practice[set.id]).filter(Boolean);
  const score = sets.reduce((sum, record) => sum + record.score, 0), max = sets.reduce((sum, record) => sum + record.max, 0);
  const practice = !lesson.practice.length ? "none" : !sets.length ? "not started"
    : sets.length + " of " + lesson.practice.length + " checks done, " + Math.round(score * 100) / 100 + " of " + max + " points";
  const played = lesson.dialogues.map((dialogue) => progress.dialogues[dialogue.id]);
  const dialogue = !lesson.dialogues.length ? "none" : played.map((record) => (!record ? "not played" : !record.finished ? "not finished"
    : "finished" + (record.bestTitle ? ", best ending: " + record.bestTitle : "")
      + (record.bestOutcome && record.bestOutcome in OUTCOMES ? " (" + OUTCOMES[/** @type {keyof OUTCOMES} */ (record.bestOutcome)] + ")" : ""))).join("; ");
  const quizzes = lesson.quizzes.map((quiz) => progress.quizzes[quiz.id]);
  const quiz = !lesson.quizzes.length ? "none" : quizzes.map((record, at) => (!record || !record.answered && !record.handedIn ? "not started"
    : Math.min(record.answered || 0, lesson.quizzes[at].questions) + " of " + lesson.quizzes[at].questions + " answered"
      + (record.handedIn ? ", handed in" : ", not handed in"))).join("; ");
  const done = read && sets.length === lesson.practice.length && played.every((record) => record && record.finished)
    && quizzes.every((record) => record && record.handedIn);
  return { read: read ? "read" : "not yet", practice, dialogue, quiz, done };
}

/**
 * The home page's start button: the first lesson not yet done, once anything is recorded.
 * @param {ProgressData} data
 * @param {Progress} progress
 */
function updateStart(data, progress) {
  /** @type {HTMLAnchorElement | null} */
  const start = document.querySelector("[data-course-start]");
  if (!start) return;
  // The build's words and link, kept to go back to once progress is cleared.
  if (!start.dataset.first) start.dataset.first = start.textContent || "";
  const begun = Object.values(progress).some((records) => Object.keys(records).length);
  const next = data.lessons.find((lesson) => !stateOf(lesson, progress).done);
  start.textContent = !begun ? start.dataset.first
    : next ? "Continue: lesson " + next.number + ", " + next.title : "Review the course: lesson 1, " + data.lessons[0].title;
  start.href = (begun && next || data.lessons[0]).href;
}

/**
 * @param {HTMLElement} root
 * @param {ProgressData} data
 */
function renderCourse(root, data) {
  const progress = readProgress();
  findAll(root, "tr[data-lesson]").forEach((row) => {
    const lesson = data.lessons.find((entry) => entry.page === row.dataset.lesson);
    if (!lesson) return;
    const state = stateOf(lesson, progress);
    findAll(row, "[data-cell]").forEach((cell) => {
      cell.textContent = state[/** @type {"read" | "practice" | "dialogue" | "quiz"} */ (cell.dataset.cell)];
    });
  });
  updateStart(data, progress);
}

/**
 * @param {HTMLElement} root
 * @param {ProgressData} data
 */
function renderLesson(root, data) {
  const lesson = data.lessons[0], state = stateOf(lesson, readProgress());
  const list = element("ul", "course-progress-line");
  /** @type {[string, string][]} */
  const parts = [["Read to the end", state.read], ["Practice", state.practice], ["Dialogue", state.dialogue], ["Quiz", state.quiz]];
  parts.filter(([, text]) => text !== "none").forEach(([name, text]) => {
    const item = element("li");
    item.append(element("strong", null, name + ": "), text);
    list.append(item);
  });
  root.replaceChildren(element("p", "course-progress-title", "Your progress"), list);
}

/**
 * Reading means reaching the end: the lesson is read once the end of its text has been on screen.
 * @param {HTMLElement} root
 * @param {ProgressData} data
 */
function watchReading(root, data) {
  const end = document.querySelector("[data-course-lesson-end]"), page = data.lessons[0].page;
  if (!end || (readProgress().lessons[page] || { read: false }).read) return;
  const watcher = new IntersectionObserver((seen) => {
    if (!seen.some((entry) => entry.isIntersecting)) return;
    watcher.disconnect();
    recordProgress("lessons", page, { read: true });
    renderLesson(root, data);
  });
  watcher.observe(end);
}

/**
 * Save, load and clear, on the home page.
 * @param {HTMLElement} root
 * @param {ProgressData} data
 */
function startButtons(root, data) {
  const say = speaker(find(root, "[data-status]"));
  /** @type {HTMLInputElement} */
  const picker = find(root, "[data-file]");
  find(root, "[data-action=export]").addEventListener("click", () => {
    download("course-progress.json", progressFile(readProgress(), data.course), "application/json");
    say("Saved course-progress.json. Load it on your other device from this page.");
  });
  find(root, "[data-action=import]").addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    const file = picker.files && picker.files[0];
    picker.value = "";
    if (!file) return;
    // The file's name is the learner's, shown as text only.
    const refused = (/** @type {string} */ why) => say(file.name + " was not loaded: " + why + ". Your progress is unchanged.");
    if (file.size > LARGEST_FILE) {
      refused("it is far larger than a progress file");
      return;
    }
    file.text().then((text) => {
      const found = readProgressFile(text, data.course);
      if ("problem" in found) {
        refused(found.problem);
        return;
      }
      writeProgress(mergeProgress(readProgress(), found.progress));
      renderCourse(root, data);
      say("Loaded " + file.name + ": its progress is added to this browser's.");
    }, () => refused("it could not be read"));
  });
  const clear = find(root, "[data-action=clear]");
  clear.addEventListener("click", () => {
    if (!confirmed(clear, say, "This forgets the progress this browser has recorded.")) return;
    writeProgress(null);
    renderCourse(root, data);
    say("Your progress is cleared. Saved quiz answers are kept: Start over on a quiz clears them.");
  });
  find(root, ":scope > [data-buttons]").hidden = false;
}

/** @param {HTMLElement} root */
function startProgress(root) {
  /** @type {ProgressData} */
  const data = payload(root);
  if (data.view === "course") {
    renderCourse(root, data);
    startButtons(root, data);
  } else {
    renderLesson(root, data);
    watchReading(root, data);
  }
}

/** The progress views: they read what the widgets record, and record a lesson read. */
export const progressWidget = { selector: "[data-course-progress]", start: startProgress };
