// The dialogue player: a practice dialogue on its own page, or a dialogue question inside a quiz.
import { confirmed, element, find, findAll, markDisabled, payload, speaker } from "./dom.js";
import { handInPanel } from "./learner.js";
import { itemScore, replay } from "./scenario.js";
import { dialogueKey, readStored, writeStored } from "./store.js";
/** @typedef {import("./scenario.js").DialogueData} DialogueData */
/** @typedef {import("./scenario.js").Turn} Turn */
/** @typedef {import("./store.js").SavedPath} SavedPath */

/**
 * Where a dialogue keeps its path: its own localStorage entry, or the quiz answer it is.
 * @typedef {object} PathStore
 * @property {() => unknown} get  the kept path, or anything else for none
 * @property {(path: string[]) => void} set
 */
/**
 * @typedef {object} DialogueWidget
 * @property {() => boolean} ended
 * @property {() => void} reset  back to the start; the quiz clears the path it keeps itself
 */

/** @param {string[]} items */
const listOrNone = (items) => (items.length ? items.join(", ") : "none");

/**
 * Plays a dialogue: on its own for practice, or as a quiz question whose answer is the path.
 * @param {HTMLElement} root
 * @param {PathStore} [quizStore]  given in a quiz, which keeps the path as the question's answer
 * @returns {DialogueWidget}
 */
export function startDialogue(root, quizStore) {
  /** @type {DialogueData} */
  const scenario = payload(root);
  const playArea = find(root, "[data-play]");
  const log = find(playArea, "[data-log]"), replyList = find(playArea, "[data-replies]"), debrief = find(playArea, "[data-debrief]");
  const undoButton = find(playArea, "[data-action=undo]"), restartButton = find(playArea, "[data-action=restart]");
  const say = speaker(find(playArea, "[data-say]"));
  const customer = scenario.customer || "Customer";
  const storageKey = dialogueKey(scenario.id);
  /** @type {PathStore} */
  const pathStore = quizStore || {
    get: () => /** @type {Partial<SavedPath>} */ (readStored(storageKey)).path,
    set: (path) => writeStored(storageKey, path.length ? { version: scenario.version, path } : null),
  };
  let progress = replay(scenario, pathStore.get());
  /** @param {string} nodeId */
  const customerLine = (nodeId) => customer + ": " + scenario.nodes[nodeId].say;
  /**
   * @param {string} meterId
   * @param {number} value
   */
  const meterText = (meterId, value) => scenario.meters[meterId].label + " " + value + " of " + scenario.meters[meterId].max;
  /** @param {string[]} stepIds */
  const stepNames = (stepIds) => stepIds.map((step) => scenario.steps[step] || step);
  /** @param {string[]} mistakeIds */
  const mistakeNames = (mistakeIds) => mistakeIds.map((mistake) => scenario.mistakes[mistake] || mistake);

  /**
   * @param {string} className
   * @param {string} speakerName
   * @param {string} text
   * @param {string} [note]
   */
  function logEntry(className, speakerName, text, note) {
    const entry = element("li", "course-said " + className);
    entry.append(element("span", "course-who", speakerName), element("p", null, text));
    if (note) entry.append(element("p", "course-note", note));
    return entry;
  }
  /**
   * What a reply did: the feedback, the meters it moved, the steps and mistakes it showed, and the lesson.
   * @param {Turn} turn
   */
  function feedbackEntry(turn) {
    const reply = turn.reply, entry = element("li", "course-feedback");
    entry.tabIndex = -1;
    entry.append(element("p", null, reply.feedback));
    const effects = Object.keys(reply.effect).filter((meterId) => meterId in scenario.meters).map((meterId) => {
      const change = reply.effect[meterId];
      return scenario.meters[meterId].label + " " + (change > 0 ? "up " + change : change < 0 ? "down " + -change : "unchanged")
        + " (now " + turn.meters[meterId] + " of " + scenario.meters[meterId].max + ")";
    });
    if (effects.length) entry.append(element("p", "course-hint", effects.join("; ")));
    if (reply.steps.length) entry.append(element("p", "course-hint", "Steps: " + stepNames(reply.steps).join(", ")));
    if (reply.mistakes.length) entry.append(element("p", "course-mistake", "Mistake: " + mistakeNames(reply.mistakes).join(", ")));
    if (reply.lesson) {
      const link = element("a", null, "Read the lesson section"), paragraph = element("p");
      link.href = reply.lesson;
      paragraph.append(link);
      entry.append(paragraph);
    }
    return entry;
  }
  /** @param {string} endingId */
  function showDebrief(endingId) {
    const ending = scenario.endings[endingId], score = itemScore(scenario, progress.raw), path = progress.path;
    const rows = [
      "Outcome: " + (scenario.outcomes[ending.outcome] || ending.outcome),
      "Path: " + path.join(", ") + " (" + path.length + (path.length === 1 ? " choice)" : " choices)"),
      "Steps shown: " + listOrNone(stepNames(progress.steps)),
      "Mistakes made: " + listOrNone(mistakeNames(progress.mistakes)),
      "Score: " + progress.raw + " (the best path scores " + scenario.best + "), worth " + score + " of " + scenario.points + " points",
    ];
    const summary = element("ul");
    rows.forEach((row) => summary.append(element("li", null, row)));
    debrief.replaceChildren(element("p", "course-debrief-title", "Ending: " + ending.title), element("p", null, ending.debrief), summary);
  }
  /** @param {string} nodeId */
  const customerEntry = (nodeId) => logEntry("course-customer", customer, scenario.nodes[nodeId].say, scenario.nodes[nodeId].note);
  /** @param {string} [spoken]  said with the customer's next line or the ending; nothing is said without it */
  function render(spoken) {
    const ending = progress.ending;
    log.replaceChildren();
    progress.turns.forEach((turn) => log.append(customerEntry(turn.node), logEntry("course-you", "You", turn.reply.text), feedbackEntry(turn)));
    replyList.replaceChildren();
    if (ending) showDebrief(ending);
    else {
      log.append(customerEntry(progress.node));
      scenario.nodes[progress.node].replies.forEach((reply) => {
        const button = element("button", "course-reply", reply.text);
        button.type = "button";
        button.dataset.reply = reply.id;
        replyList.append(button);
      });
    }
    replyList.hidden = !!ending;
    debrief.hidden = !ending;
    findAll(playArea, "[data-meter]").forEach((gauge) => {
      const meterId = gauge.dataset.meter || "", meter = scenario.meters[meterId], value = progress.meters[meterId];
      find(gauge, "[data-meter-text]").textContent = meterText(meterId, value);
      find(gauge, "[data-meter-bar]").style.width = Math.round(100 * (value - meter.min) / ((meter.max - meter.min) || 1)) + "%";
    });
    markDisabled(undoButton, !progress.path.length);
    markDisabled(restartButton, !progress.path.length);
    /** @type {HTMLElement | null} */
    const panel = root.querySelector(":scope > [data-handin]");
    if (panel) panel.hidden = !ending;
    if (spoken != null) say(spoken + (ending ? "Ending: " + scenario.endings[ending].title + "." : customerLine(progress.node)));
  }
  /**
   * Replays `path`, keeps it, shows it and moves focus: to the new turn, to Undo, or to the first reply.
   * @param {string[]} path
   * @param {"turn" | "undo" | null} focusOn
   * @param {string} spoken
   */
  function goTo(path, focusOn, spoken) {
    progress = replay(scenario, path);
    pathStore.set(progress.path);
    render(spoken);
    // Before the customer's new line comes the feedback on the reply just chosen.
    const latestFeedback = /** @type {HTMLElement | null} */ (log.lastElementChild && log.lastElementChild.previousElementSibling);
    const target = focusOn === "turn" ? (progress.ending ? debrief : latestFeedback)
      : focusOn === "undo" && progress.path.length ? undoButton : null;
    /** @type {HTMLElement | null} */
    const firstReply = replyList.querySelector("button");
    (target && !target.hidden ? target : firstReply || debrief).focus();
  }

  replyList.addEventListener("click", (event) => {
    /** @type {HTMLElement | null} */
    const button = /** @type {Element} */ (event.target).closest("[data-reply]");
    if (button) goTo(progress.path.concat(button.dataset.reply || ""), "turn", "");
  });
  undoButton.addEventListener("click", () => {
    if (progress.path.length) goTo(progress.path.slice(0, -1), "undo", "Last choice undone. ");
  });
  restartButton.addEventListener("click", () => {
    if (progress.path.length && confirmed(restartButton, say)) goTo([], null, "Started again. ");
  });
  if (!quizStore) {
    handInPanel(find(root, ":scope > [data-handin]"), scenario.learner, speaker(find(root, ":scope > [data-handin] [data-status]")),
      () => ({ activity: scenario.id, version: scenario.version, answers: { path: progress.path }, note: "" }));
  }
  find(root, ":scope > [data-course-text]").hidden = true;
  playArea.hidden = false;
  render();
  return {
    ended: () => !!progress.ending,
    reset: () => {
      progress = replay(scenario, []);
      render();
    },
  };
}

/** Practice dialogues, which keep their own path. */
export const dialogueWidget = { selector: "[data-course-dialogue][data-mode=practice]", start: startDialogue };
