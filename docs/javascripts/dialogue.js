// The dialogue player: a practice dialogue on its own page, or a dialogue question inside a quiz (an exam scenario: no coaching).
import { confirmed, element, find, findAll, markDisabled, payload, speaker } from "./dom.js";
import { handInPanel } from "./learner.js";
import { readProgress, recordProgress } from "./progress-store.js";
import { bestScores, deal, dealtScenario, fill, itemScore, newSeed, replay, replyCosts } from "./scenario.js";
import { dialogueKey, readStored, writeStored } from "./store.js";
/** @typedef {import("./scenario.js").DialogueData} DialogueData */
/** @typedef {import("./scenario.js").Turn} Turn */
/** @typedef {import("./scenario.js").Progress} Progress */
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

/** Endings after which the debrief shows the turning point and offers to try again from it (grader/dialogue/costs.py). */
const TURNING_OUTCOMES = ["escalated", "lost"];

/**
 * Titles grouped by where they are taught, as list items: "Four key steps: Make amends, Nourish the relationship".
 * @param {Array<{title: string, group: string}>} found
 */
function groupedList(found) {
  /** @type {Record<string, string[]>} */
  const groups = {};
  found.forEach((item) => {
    const titles = groups[item.group] || (groups[item.group] = []);
    if (!titles.includes(item.title)) titles.push(item.title);
  });
  const list = element("ul");
  Object.keys(groups).forEach((group) => list.append(element("li", null, group + ": " + groups[group].join(", "))));
  return list;
}
/**
 * @param {HTMLElement} box
 * @param {string} label
 * @param {string} [text]
 */
function labelled(box, label, text) {
  const paragraph = element("p");
  paragraph.append(element("strong", null, label), text ? " " + text : "");
  box.append(paragraph);
  return paragraph;
}

/**
 * Plays a dialogue: on its own for practice, or as a quiz question whose answer is the path.
 * @param {HTMLElement} root
 * @param {PathStore} [quizStore]  given in a quiz, which keeps the path as the question's answer
 * @returns {DialogueWidget}
 */
export function startDialogue(root, quizStore) {
  /** @type {DialogueData} */
  const source = payload(root);
  const exam = !!source.exam, dealt = !!((source.variants || []).length || (source.details || []).length);
  const playArea = find(root, "[data-play]");
  const log = find(playArea, "[data-log]"), replyList = find(playArea, "[data-replies]"), debrief = find(playArea, "[data-debrief]");
  /** @type {HTMLElement | null} */
  const undoButton = playArea.querySelector("[data-action=undo]");
  /** @type {HTMLElement | null} */
  const restartButton = playArea.querySelector("[data-action=restart]");
  const say = speaker(find(playArea, "[data-say]"));
  const customer = source.customer || "Customer";
  const storageKey = dialogueKey(source.id);
  /** @type {Partial<SavedPath>} */
  const saved = quizStore ? {} : readStored(storageKey);
  let seed = typeof saved.seed === "number" ? saved.seed : newSeed();
  let dealing = deal(source, seed), scenario = source;
  /** @type {(node: string, meters: Record<string, number>) => number} */
  let best = () => 0;
  /** @type {PathStore} */
  const pathStore = quizStore || {
    get: () => saved.path,
    // A dealt dialogue keeps its seed from the start, so a reload deals the same customer.
    set: (path) => writeStored(storageKey, dealt ? { version: source.version, path, seed } : path.length ? { version: source.version, path } : null),
  };
  function redeal() {
    dealing = deal(source, seed);
    scenario = dealt ? dealtScenario(source, dealing) : source;
    if (!exam) best = bestScores(scenario);
    /** @type {HTMLElement | null} */
    const setting = root.querySelector("[data-setting]");
    /** @type {HTMLElement | null} */
    const variant = playArea.querySelector("[data-variant]");
    if (setting && scenario.setting != null) setting.textContent = scenario.setting;
    const shown = (source.variants || []).find((found) => found.id === dealing.variant);
    if (variant) {
      variant.textContent = shown ? "This time: " + fill(shown.label, dealing) : "";
      variant.hidden = !shown;
    }
  }
  redeal();
  let progress = replay(scenario, pathStore.get());
  /** @param {string} nodeId */
  const customerLine = (nodeId) => customer + ": " + scenario.nodes[nodeId].say;
  /** @param {string} meterId @param {number} value */
  const meterText = (meterId, value) => scenario.meters[meterId].label + " " + value + " of " + scenario.meters[meterId].max;
  const metersNow = () => Object.keys(scenario.meters).map((meterId) => meterText(meterId, progress.meters[meterId])).join(", ") + ". ";
  /** @param {string[]} stepIds */
  const stepNames = (stepIds) => stepIds.map((step) => (source.steps || {})[step] ? (source.steps || {})[step].title : step);
  /** @param {string[]} mistakeIds */
  const mistakeNames = (mistakeIds) => mistakeIds.map((mistake) => ((source.mistakes || {})[mistake] || { title: mistake }).title);
  /** @param {string} [outcome] */
  const outcomeName = (outcome) => (source.outcomes || {})[outcome || ""] || outcome || "";
  /**
   * What a reply did to the meters, in words: "Calm up 2 (now 5 of 10)".
   * @param {Turn} turn
   * @param {Record<string, number>} before
   */
  const changes = (turn, before) => Object.keys(scenario.meters).filter((meterId) => turn.meters[meterId] !== before[meterId]).map((meterId) => {
    const change = turn.meters[meterId] - before[meterId];
    return scenario.meters[meterId].label + (change > 0 ? " up " + change : " down " + -change) + " (now " + turn.meters[meterId] + " of " + scenario.meters[meterId].max + ")";
  }).join("; ");
  /** @param {number} i */
  const metersBefore = (i) => (i ? progress.turns[i - 1].meters : replay(scenario, []).meters);

  /**
   * @param {string} className
   * @param {string} speakerName
   * @param {string} text
   * @param {string} [note]
   */
  function logEntry(className, speakerName, text, note) {
    const entry = element("li", "course-said " + className);
    entry.tabIndex = -1;
    entry.append(element("span", "course-who", speakerName), element("p", null, text));
    if (note) entry.append(element("p", "course-note", note));
    return entry;
  }
  /**
   * What a reply did: the feedback, the meters it moved, the steps and mistakes it showed, and the lesson.
   * @param {Turn} turn
   * @param {number} i
   */
  function feedbackEntry(turn, i) {
    const reply = turn.reply, entry = element("li", "course-feedback");
    entry.tabIndex = -1;
    entry.append(element("p", null, reply.feedback || ""));
    const moved = changes(turn, metersBefore(i));
    if (moved) entry.append(element("p", "course-hint", moved));
    if ((reply.steps || []).length) entry.append(element("p", "course-hint", "Steps: " + stepNames(reply.steps || []).join(", ")));
    if ((reply.mistakes || []).length) entry.append(element("p", "course-mistake", "Mistake: " + mistakeNames(reply.mistakes || []).join(", ")));
    if (reply.lesson) {
      const link = element("a", null, "Read the lesson section"), paragraph = element("p");
      link.href = reply.lesson;
      paragraph.append(link);
      entry.append(paragraph);
    }
    return entry;
  }
  /**
   * Keeps the best ending so far for the progress view; returns it.
   * @param {string} endingId
   */
  function keepBest(endingId) {
    const outcomes = Object.keys(source.outcomes || {}), known = readProgress().dialogues[source.id] || { finished: false };
    /** @param {string | undefined} id */
    const rank = (id) => {
      const ending = id ? scenario.endings[id] : undefined;
      return ending ? [-outcomes.indexOf(ending.outcome || ""), ending.score || 0] : [-Infinity, 0];
    };
    const now = rank(endingId), before = rank(known.bestEnding);
    const better = now[0] > before[0] || (now[0] === before[0] && now[1] > before[1]);
    const ending = scenario.endings[endingId];
    recordProgress("dialogues", source.id, better
      ? { finished: true, bestEnding: endingId, bestOutcome: ending.outcome, bestTitle: ending.title }
      : { finished: true });
    return better ? endingId : /** @type {string} */ (known.bestEnding);
  }
  /** @param {string} endingId */
  function showDebrief(endingId) {
    const ending = scenario.endings[endingId];
    debrief.replaceChildren(element("p", "course-debrief-title", "Ending: " + ending.title));
    if (exam) {
      debrief.append(element("p", null, "The conversation is over. Your replies are your answer to this question; feedback on them comes with your grade."));
      return;
    }
    debrief.append(element("p", null, ending.debrief || ""));
    labelled(debrief, "Outcome:", outcomeName(ending.outcome));
    const points = source.points || 0, top = best(scenario.start, replay(scenario, []).meters);
    labelled(debrief, "Score:", itemScore(points, progress.raw, top) + " of " + points + " points.");
    const costs = replyCosts(scenario, progress, best), most = Math.max(0, ...costs), turn = costs.indexOf(most);
    if (TURNING_OUTCOMES.includes(ending.outcome || "") && most > 0) {
      const reply = progress.turns[turn].reply, point = element("div", "course-turning");
      labelled(point, "Turning point:", "turn " + (turn + 1) + ", the reply that cost you the most: “" + reply.text + "”");
      point.append(element("p", null, reply.feedback || ""));
      if ((reply.mistakes || []).length) point.append(element("p", "course-mistake", "Mistake: " + mistakeNames(reply.mistakes || []).join(", ")));
      const retry = element("button", "md-button md-button--primary", "Try again from here");
      retry.type = "button";
      retry.dataset.retry = String(turn);
      const holder = element("p");
      holder.append(retry);
      point.append(holder);
      debrief.append(point);
    }
    const steps = source.steps || {}, met = progress.steps.filter((id) => !steps[id] || steps[id].met);
    labelled(debrief, "Steps you used well:", met.length ? "" : "none.");
    if (met.length) debrief.append(groupedList(met.map((id) => ({ title: stepNames([id])[0], group: steps[id] ? steps[id].model : "" }))));
    const later = progress.steps.length - met.length;
    if (later) debrief.append(element("p", "course-hint", "You also used " + later + (later === 1 ? " step" : " steps") + " from models later in the course."));
    labelled(debrief, "Mistakes made:", progress.mistakes.length ? "" : "none.");
    if (progress.mistakes.length) {
      debrief.append(groupedList(progress.mistakes.map((id) => (source.mistakes || {})[id] || { title: id, group: "" })));
    }
    const kept = keepBest(endingId);
    if (kept && scenario.endings[kept]) labelled(debrief, "Your best ending so far:", scenario.endings[kept].title + " (" + outcomeName(scenario.endings[kept].outcome) + ").");
    labelled(debrief, "Your conversation, retold:");
    const retold = element("ol");
    progress.turns.forEach((done, i) => {
      const moved = changes(done, metersBefore(i));
      retold.append(element("li", null, customer + ": “" + scenario.nodes[done.node].say + "” You: “" + done.reply.text + "”" + (moved ? " " + moved + "." : "")));
    });
    retold.append(element("li", null, "Ending: " + ending.title + "."));
    debrief.append(retold);
  }
  /** @param {string} nodeId */
  const customerEntry = (nodeId) => logEntry("course-customer", customer, scenario.nodes[nodeId].say, scenario.nodes[nodeId].note);
  /** @param {string} [spoken]  said with the customer's next line or the ending; nothing is said without it */
  function render(spoken) {
    const ending = progress.ending;
    log.replaceChildren();
    progress.turns.forEach((turn, i) => {
      log.append(customerEntry(turn.node), logEntry("course-you", "You", turn.reply.text));
      if (!exam) log.append(feedbackEntry(turn, i));
    });
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
    if (undoButton) markDisabled(undoButton, !progress.path.length);
    if (restartButton) markDisabled(restartButton, !progress.path.length);
    /** @type {HTMLElement | null} */
    const panel = root.querySelector(":scope > [data-handin]");
    if (panel) panel.hidden = !ending;
    if (spoken != null) say(spoken + (ending ? "Ending: " + scenario.endings[ending].title + "." : customerLine(progress.node)));
  }
  /**
   * Replays `path`, keeps it, shows it and moves focus: to what the reply brought, to Undo, or to the first reply.
   * @param {string[]} path
   * @param {"turn" | "undo" | null} focusOn
   * @param {string | undefined} spoken
   */
  function goTo(path, focusOn, spoken) {
    progress = replay(scenario, path);
    pathStore.set(progress.path);
    render(spoken);
    // Practice: the feedback on the reply just chosen, before the customer's new line. Exam: that new line.
    const latest = /** @type {HTMLElement | null} */ (exam ? log.lastElementChild : log.lastElementChild && log.lastElementChild.previousElementSibling);
    const target = focusOn === "turn" ? (progress.ending ? debrief : latest)
      : focusOn === "undo" && progress.path.length ? undoButton : null;
    /** @type {HTMLElement | null} */
    const firstReply = replyList.querySelector("button");
    (target && !target.hidden ? target : firstReply || debrief).focus();
  }

  replyList.addEventListener("click", (event) => {
    /** @type {HTMLElement | null} */
    const button = /** @type {Element} */ (event.target).closest("[data-reply]");
    // In an exam the new line is focused and so read; in practice the feedback is, and the line is said after it.
    if (button) goTo(progress.path.concat(button.dataset.reply || ""), "turn", exam && !progress.ending ? undefined : "");
  });
  debrief.addEventListener("click", (event) => {
    /** @type {HTMLElement | null} */
    const button = /** @type {Element} */ (event.target).closest("[data-retry]");
    if (!button) return;
    const turn = Number(button.dataset.retry);
    goTo(progress.path.slice(0, turn), null, "Back to turn " + (turn + 1) + ", just before that reply. " + metersNow());
  });
  if (undoButton) {
    undoButton.addEventListener("click", () => {
      if (progress.path.length) goTo(progress.path.slice(0, -1), "undo", "Last choice undone. " + metersNow());
    });
  }
  if (restartButton) {
    const restart = restartButton;
    restart.addEventListener("click", () => {
      if (!progress.path.length || !confirmed(restart, say)) return;
      if (dealt) {
        seed = newSeed(); // a fresh start deals again
        redeal();
      }
      goTo([], null, "Started again. " + metersNow());
    });
  }
  if (!quizStore) {
    handInPanel(find(root, ":scope > [data-handin]"), source.learner, speaker(find(root, ":scope > [data-handin] [data-status]")),
      () => ({
        activity: source.id,
        version: source.version,
        answers: { path: dealt ? { replies: progress.path, ...(dealing.variant ? { variant: dealing.variant } : {}), seed } : progress.path },
        note: "",
      }));
  }
  find(root, ":scope > [data-course-text]").hidden = true;
  playArea.hidden = false;
  if (dealt && !quizStore) pathStore.set(progress.path); // keeps the seed from the first view
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
