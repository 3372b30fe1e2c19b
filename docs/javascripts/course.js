// @ts-check
/* Quizzes that save answers and write answer files, and practice dialogues.
   The markup and its JSON data come from grader/site.py; the rules of play repeat grader/dialogue.py. */

// ------------------------------------------------------------ what the page hands the script
// Each widget's data-course attribute, as grader/site.py writes it (_quiz_html, _dialogue_data).

/**
 * The grader's learner id rule (grader/answers.py), so the page refuses what the grader would.
 * @typedef {object} LearnerRule
 * @property {string} pattern  a regular expression the whole id must match
 * @property {string} rule  the rule in words, for the message
 */
/** @typedef {"single" | "multiple" | "true_false" | "ordering" | "matching" | "short_text" | "dialogue"} QuestionType */
/**
 * @typedef {object} QuizQuestion
 * @property {string} id
 * @property {QuestionType} type
 * @property {number} number  as the page shows it, from 1
 * @property {number} points
 */
/**
 * A quiz: its questions without their answers, which stay in quizzes/keys/.
 * @typedef {object} QuizData
 * @property {string} quiz  the quiz id
 * @property {string} title
 * @property {string} version  the content version the answer file names
 * @property {QuizQuestion[]} questions  in page order
 * @property {LearnerRule} learner
 */
/**
 * @typedef {object} Meter
 * @property {string} label
 * @property {number} min
 * @property {number} max
 * @property {number} start
 */
/**
 * Ends the dialogue when a meter falls to `at_most` or rises to `at_least` (one of the two is set).
 * @typedef {object} MeterRule
 * @property {string} meter
 * @property {number | null} at_most
 * @property {number | null} at_least
 * @property {string} ending  the ending id it leads to
 */
/**
 * One thing the learner can say.
 * @typedef {object} Reply
 * @property {string} id
 * @property {string} text
 * @property {string} next  a node id or an ending id
 * @property {number} score  raw points
 * @property {string[]} steps  model step ids it practises
 * @property {string[]} mistakes  anti-pattern ids it shows
 * @property {Record<string, number>} effect  meter id to change
 * @property {string} feedback
 * @property {string | null} lesson  a link to the lesson section, or null
 */
/**
 * @typedef {object} CustomerTurn
 * @property {string} say
 * @property {string} note  how the customer sounds ("" for nothing)
 * @property {Reply[]} replies
 */
/**
 * @typedef {object} Ending
 * @property {string} outcome  an outcome id, named in `outcomes`
 * @property {string} title
 * @property {string} debrief
 * @property {number} score  raw points added on reaching it
 */
/**
 * A dialogue: the whole scenario, since practice is public by design.
 * @typedef {object} DialogueData
 * @property {string} id
 * @property {string} title
 * @property {string} version
 * @property {number} points  what the dialogue is worth (in a quiz, the question's points)
 * @property {number | null} best  the best path's raw score; null when there is none
 * @property {string} customer  the customer's name ("" for none)
 * @property {Record<string, Meter>} meters
 * @property {MeterRule[]} rules
 * @property {string} start  the first node's id
 * @property {Record<string, CustomerTurn>} nodes
 * @property {Record<string, Ending>} endings
 * @property {Record<string, string>} outcomes  outcome id to its name
 * @property {Record<string, string>} steps  step id to its title, for the steps the replies practise
 * @property {Record<string, string>} mistakes  anti-pattern id to its title
 * @property {LearnerRule} learner
 */

// ------------------------------------------------------------ what the script keeps and writes

/** @typedef {string | boolean | string[] | Record<string, string>} Answer  One question's answer, as the answer file holds it. */
/** @typedef {Record<string, Answer>} Answers  By question id. */
/**
 * The answer file's `learner:`, remembered in localStorage under "course:learner" for every page.
 * @typedef {object} Learner
 * @property {string} id
 * @property {string} name  "" when the learner gives none
 */
/**
 * A quiz's answers so far, in localStorage under "course:quiz:<quiz id>".
 * @typedef {object} SavedQuiz
 * @property {string} version  the quiz version they were given against
 * @property {Answers} answers
 */
/**
 * A practice dialogue's path so far, in localStorage under "course:dialogue:<scenario id>".
 * @typedef {object} SavedPath
 * @property {string} version
 * @property {string[]} path  reply ids in the order taken
 */
/**
 * What a widget hands in: with the learner, everything in the answer file (DESIGN.md, "The answer file").
 * @typedef {object} HandIn
 * @property {string} activity  the quiz or dialogue id, the file's `quiz:`
 * @property {string} version
 * @property {Answers} answers
 * @property {string} note  what is left unanswered, said before the download ("" for nothing)
 */
/** @typedef {(text: string) => void} Say  Reads a message out in a live region. */
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
/**
 * @typedef {object} Turn  A reply taken, and the meters after it.
 * @property {string} node  the node the reply answered
 * @property {Reply} reply
 * @property {Record<string, number>} meters
 */
/**
 * A path replayed by the rules of grader/dialogue.py.
 * @typedef {object} Progress
 * @property {string[]} path  the reply ids that were on offer, in order
 * @property {Turn[]} turns
 * @property {Record<string, number>} meters  now
 * @property {number} raw  raw score so far, the ending's included
 * @property {string[]} steps  step ids shown so far, each once
 * @property {string[]} mistakes  anti-pattern ids made so far, each once
 * @property {string} node  the node the learner is at (the last one, once ended)
 * @property {string | null} ending  the ending reached, or null
 */

(() => {
  "use strict";
  const LEARNER = "course:learner";

  /**
   * The element `selector` finds in `root`; grader/site.py writes every one the script asks for.
   * @template {Element} [Found=HTMLElement]
   * @param {ParentNode} root
   * @param {string} selector
   * @returns {Found}
   */
  function find(root, selector) {
    const found = root.querySelector(selector);
    if (!found) throw new Error("course.js: the widget has no " + selector);
    return /** @type {Found} */ (found);
  }
  /**
   * @template {Element} [Found=HTMLElement]
   * @param {ParentNode} root
   * @param {string} selector
   * @returns {Found[]}
   */
  const findAll = (root, selector) => Array.from(root.querySelectorAll(selector));

  /**
   * A widget's data-course: in an attribute, not a script island, because instant navigation re-runs inline scripts as code.
   * @template Data
   * @param {HTMLElement} root
   * @returns {Data}
   */
  const payload = (root) => JSON.parse(root.dataset.course || "");

  /**
   * @template {keyof HTMLElementTagNameMap} Tag
   * @param {Tag} tag
   * @param {string | null} [className]
   * @param {string | null} [text]
   * @returns {HTMLElementTagNameMap[Tag]}
   */
  function element(tag, className, text) {
    const created = document.createElement(tag);
    if (className) created.className = className;
    if (text != null) created.textContent = text;
    return created;
  }

  /**
   * What the script saved under `key`, or an empty object when there is none or it cannot be read.
   * @template Saved
   * @param {string} key
   * @returns {Partial<Saved>}
   */
  function readStored(key) {
    try {
      const saved = JSON.parse(localStorage.getItem(key) || "null");
      return saved && typeof saved === "object" ? saved : {};
    } catch (error) {
      return {};
    }
  }
  /**
   * Saves `value` under `key`, or forgets the key when `value` is null.
   * @param {string} key
   * @param {unknown} value
   */
  function writeStored(key, value) {
    // Private windows or a full store: the page still works, it only forgets.
    try {
      if (value == null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {}
  }

  /**
   * @param {HTMLElement} region  a live region
   * @returns {Say}
   */
  function speaker(region) {
    // Emptying first makes a repeated message heard again.
    return (text) => {
      region.textContent = "";
      setTimeout(() => { region.textContent = text; }, 60);
    };
  }
  /** @param {string[]} items */
  const listOrNone = (items) => (items.length ? items.join(", ") : "none");

  /**
   * Greys a button out while it has nothing to do; it stays focusable, so keyboard users keep their place.
   * @param {HTMLElement} button
   * @param {boolean} disabled
   */
  function markDisabled(button, disabled) {
    if (disabled) button.setAttribute("aria-disabled", "true");
    else button.removeAttribute("aria-disabled");
  }

  /**
   * True on the second press: a first press asks for it, so the keyboard answers without a dialog box.
   * @param {HTMLElement} button
   * @param {Say} say
   * @param {string} [reason]  said before the request to confirm
   * @returns {boolean}
   */
  function confirmed(button, say, reason) {
    if (button.dataset.armed) {
      disarm(button);
      return true;
    }
    const label = button.textContent || "";
    button.dataset.armed = label;
    button.textContent = label + "? Press again";
    say((reason ? reason + " " : "") + "Press " + label + " again to confirm.");
    button.addEventListener("blur", () => disarm(button), { once: true });
    return false;
  }
  /** @param {HTMLElement} button */
  function disarm(button) {
    const label = button.dataset.armed;
    if (label) {
      button.textContent = label;
      delete button.dataset.armed;
    }
  }

  // ------------------------------------------------------------ answer files

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
   * @param {Answer} answer
   * @returns {string}  YAML in flow style, on one line
   */
  function yamlValue(answer) {
    if (typeof answer === "boolean") return String(answer);
    if (Array.isArray(answer)) return "[" + answer.map(yamlString).join(", ") + "]";
    if (typeof answer === "object") {
      return "{" + Object.keys(answer).map((key) => yamlString(key) + ": " + yamlString(answer[key])).join(", ") + "}";
    }
    return yamlString(answer);
  }
  /**
   * @param {HandIn} handIn
   * @param {Learner} learner
   * @returns {string}  the answer file's YAML
   */
  function answerFile(handIn, learner) {
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
   */
  function download(fileName, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    const link = element("a");
    link.href = url;
    link.download = fileName;
    link.click(); // left out of the document so Material's instant navigation never sees the click
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  /**
   * @param {string} id
   * @param {LearnerRule} rule
   * @returns {string}  what is wrong with the id, or "" when it is allowed
   */
  function learnerProblem(id, rule) {
    // The grader's words (grader/answers.py check_learner_id), so the page and the grader agree.
    if (!id) return "learner id is missing; " + rule.rule;
    if (!new RegExp(rule.pattern).test(id)) {
      return "learner id '" + (id.length > 80 ? id.slice(0, 77) + "..." : id) + "' is not allowed; " + rule.rule;
    }
    return "";
  }

  /**
   * The learner id and name fields, remembered for every page, and the download button.
   * @param {HTMLElement} panel
   * @param {LearnerRule} rule
   * @param {Say} say
   * @param {() => HandIn} collect  what to hand in, asked at each press
   */
  function handInPanel(panel, rule, say, collect) {
    /** @type {HTMLInputElement} */
    const idField = find(panel, "[data-learner-id]");
    /** @type {HTMLInputElement} */
    const nameField = find(panel, "[data-learner-name]");
    /** @type {Partial<Learner>} */
    const saved = readStored(LEARNER);
    idField.value = saved.id || idField.value;
    nameField.value = saved.name || nameField.value;
    /** @returns {Learner} */
    const typed = () => ({ id: idField.value.trim(), name: nameField.value.trim() });
    const remember = () => writeStored(LEARNER, typed());
    idField.addEventListener("change", remember);
    nameField.addEventListener("change", remember);
    const button = find(panel, "[data-action=download]");
    button.addEventListener("click", () => {
      const learner = typed();
      const problem = learnerProblem(learner.id, rule);
      if (problem) {
        idField.setAttribute("aria-invalid", "true");
        idField.focus();
        say(problem.charAt(0).toUpperCase() + problem.slice(1) + ".");
        return;
      }
      idField.removeAttribute("aria-invalid");
      remember();
      const handIn = collect();
      // Unanswered questions are listed first; a second press downloads anyway.
      if (handIn.note && !confirmed(button, say, handIn.note)) return;
      const fileName = handIn.activity + "-" + learner.id + ".yml";
      download(fileName, answerFile(handIn, learner));
      say((handIn.note ? handIn.note + " " : "") + "Downloaded " + fileName + ".");
    });
    panel.hidden = false;
  }

  // ------------------------------------------------------------ dialogues

  /**
   * Replays a path from the start, as grader/dialogue.py does, stopping at the first choice not on offer.
   * @param {DialogueData} scenario
   * @param {unknown} path  reply ids; anything else replays as no path
   * @returns {Progress}
   */
  function replay(scenario, path) {
    /** @type {Record<string, number>} */
    const meters = {};
    for (const meterId in scenario.meters) meters[meterId] = scenario.meters[meterId].start;
    /** @type {Progress} */
    const progress = { path: [], turns: [], meters, raw: 0, steps: [], mistakes: [], node: scenario.start, ending: null };
    for (const replyId of Array.isArray(path) ? path : []) {
      const customerTurn = scenario.nodes[progress.node];
      const reply = !progress.ending && customerTurn && customerTurn.replies.find((offered) => offered.id === replyId);
      if (!reply) break;
      for (const meterId in reply.effect) if (meterId in meters) meters[meterId] += reply.effect[meterId];
      progress.raw += reply.score;
      reply.steps.forEach((step) => progress.steps.includes(step) || progress.steps.push(step));
      reply.mistakes.forEach((mistake) => progress.mistakes.includes(mistake) || progress.mistakes.push(mistake));
      const endingRule = scenario.rules.find((rule) => (rule.at_most != null && meters[rule.meter] <= rule.at_most)
        || (rule.at_least != null && meters[rule.meter] >= rule.at_least));
      const ending = endingRule ? endingRule.ending : scenario.endings[reply.next] ? reply.next : null;
      progress.turns.push({ node: progress.node, reply, meters: Object.assign({}, meters) });
      progress.path.push(replyId);
      if (ending) {
        progress.ending = ending;
        progress.raw += scenario.endings[ending].score;
      } else progress.node = reply.next;
    }
    return progress;
  }
  /**
   * Points x raw / best, kept between 0 and points (grader.dialogue.item_score).
   * @param {DialogueData} scenario
   * @param {number} raw
   * @returns {number}
   */
  function itemScore(scenario, raw) {
    if (!scenario.best || scenario.best <= 0) return 0;
    return Math.round(Math.min(Math.max(scenario.points * raw / scenario.best, 0), scenario.points) * 100) / 100;
  }

  /**
   * Plays a dialogue: on its own for practice, or as a quiz question whose answer is the path.
   * @param {HTMLElement} root
   * @param {PathStore} [quizStore]  given in a quiz, which keeps the path as the question's answer
   * @returns {DialogueWidget}
   */
  function startDialogue(root, quizStore) {
    /** @type {DialogueData} */
    const scenario = payload(root);
    const playArea = find(root, "[data-play]");
    const log = find(playArea, "[data-log]"), replyList = find(playArea, "[data-replies]"), debrief = find(playArea, "[data-debrief]");
    const undoButton = find(playArea, "[data-action=undo]"), restartButton = find(playArea, "[data-action=restart]");
    const say = speaker(find(playArea, "[data-say]"));
    const customer = scenario.customer || "Customer";
    const storageKey = "course:dialogue:" + scenario.id;
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

  // ------------------------------------------------------------ quizzes

  /** @typedef {Exclude<QuestionType, "dialogue">} FormQuestionType  Answered with form controls. */

  /**
   * The answer a question's controls show, or undefined while it is unanswered.
   * @type {Record<FormQuestionType, (field: HTMLElement) => Answer | undefined>}
   */
  const readAnswer = {
    single: (field) => {
      /** @type {HTMLInputElement | null} */
      const checked = field.querySelector("input:checked");
      return checked ? checked.value : undefined;
    },
    true_false: (field) => {
      /** @type {HTMLInputElement | null} */
      const checked = field.querySelector("input:checked");
      return checked ? checked.value === "true" : undefined;
    },
    multiple: (field) => {
      const values = findAll(field, "input:checked").map((input) => /** @type {HTMLInputElement} */ (input).value);
      return values.length ? values : undefined;
    },
    ordering: (field) => (find(field, "ol").dataset.moved ? findAll(field, "li").map((item) => item.dataset.item || "") : undefined),
    matching: (field) => {
      /** @type {Record<string, string>} */
      const matches = {};
      findAll(field, "select").forEach((select) => {
        const choice = /** @type {HTMLSelectElement} */ (select).value;
        if (choice) matches[select.dataset.pair || ""] = choice;
      });
      return Object.keys(matches).length ? matches : undefined;
    },
    short_text: (field) => /** @type {HTMLInputElement} */ (find(field, "input")).value.trim() || undefined,
  };

  /**
   * Ticks the options a saved answer names.
   * @param {HTMLElement} field
   * @param {unknown} saved
   */
  function showChoices(field, saved) {
    const chosen = /** @type {unknown[]} */ ([]).concat(saved).map(String);
    findAll(field, "input").forEach((input) => {
      const option = /** @type {HTMLInputElement} */ (input);
      option.checked = chosen.includes(option.value);
    });
  }
  /**
   * Shows a saved answer in a question's controls; an answer that does not fit them is left out.
   * @type {Record<FormQuestionType, (field: HTMLElement, saved: unknown) => void>}
   */
  const showAnswer = {
    single: showChoices,
    true_false: showChoices,
    multiple: showChoices,
    ordering: (field, saved) => {
      const list = find(field, "ol"), items = findAll(list, "li");
      if (!Array.isArray(saved) || saved.length !== items.length || !items.every((item) => saved.includes(item.dataset.item))) return;
      saved.forEach((itemId) => list.append(/** @type {HTMLElement} */ (items.find((item) => item.dataset.item === itemId))));
      list.dataset.moved = "1";
    },
    matching: (field, saved) => findAll(field, "select").forEach((element) => {
      const select = /** @type {HTMLSelectElement} */ (element);
      const matches = /** @type {Record<string, unknown> | null | undefined} */ (saved);
      select.value = String((matches && matches[select.dataset.pair || ""]) || "");
      if (select.selectedIndex < 0) select.value = "";
    }),
    short_text: (field, saved) => {
      /** @type {HTMLInputElement} */ (find(field, "input")).value = typeof saved === "string" ? saved : "";
    },
  };

  /**
   * Dims Move up on the first item and Move down on the last.
   * @param {HTMLElement} list
   */
  function markEnds(list) {
    findAll(list, "li").forEach((item, position, all) => {
      markDisabled(find(item, "[data-move=up]"), position === 0);
      markDisabled(find(item, "[data-move=down]"), position === all.length - 1);
    });
  }

  /** @param {HTMLElement} root */
  function startQuiz(root) {
    /** @type {QuizData} */
    const quiz = payload(root);
    /** @type {HTMLFormElement} */
    const form = find(root, "form");
    const storageKey = "course:quiz:" + quiz.quiz;
    const panel = find(root, ":scope > [data-handin]");
    const say = speaker(find(panel, "[data-status]"));
    /** @type {Record<string, HTMLElement>} */
    const fields = {};
    /** @type {Record<string, DialogueWidget>} */
    const dialogues = {};
    /** @type {Record<string, HTMLElement[]>} */
    const originalOrder = {};
    /** @type {Record<string, string[]>} */
    const paths = {};
    findAll(form, ":scope > [data-question]").forEach((field) => { fields[field.dataset.question || ""] = field; });
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
    const save = () => writeStored(storageKey, { version: quiz.version, answers: currentAnswers() });

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
      if (question.type === "ordering") originalOrder[question.id] = findAll(field, "li");
      if (savedAnswer !== undefined) showAnswer[question.type](field, savedAnswer);
      if (question.type === "ordering") markEnds(find(field, "ol"));
    });

    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("input", save);
    form.addEventListener("click", (event) => {
      /** @type {HTMLElement | null} */
      const button = /** @type {Element} */ (event.target).closest("[data-move]");
      if (!button) return;
      const item = /** @type {HTMLElement} */ (button.closest("li")), list = /** @type {HTMLElement} */ (item.parentNode);
      const up = button.dataset.move === "up";
      const neighbour = up ? item.previousElementSibling : item.nextElementSibling;
      const text = find(item, ".course-item-text").textContent;
      if (!neighbour) {
        say(text + " is already " + (up ? "first." : "last."));
        return;
      }
      // Move the neighbour, not the item, so the pressed button keeps focus.
      list.insertBefore(neighbour, up ? item.nextElementSibling : item);
      list.dataset.moved = "1";
      markEnds(list);
      button.focus();
      const items = findAll(list, "li");
      say(text + " moved to position " + (items.indexOf(item) + 1) + " of " + items.length + ".");
      save();
    });

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
    });
    const startOver = find(panel, "[data-action=start-over]");
    startOver.addEventListener("click", () => {
      if (!confirmed(startOver, say)) return;
      writeStored(storageKey, null);
      form.reset();
      Object.keys(originalOrder).forEach((questionId) => {
        const list = find(fields[questionId], "ol");
        originalOrder[questionId].forEach((item) => list.append(item));
        delete list.dataset.moved;
        markEnds(list);
      });
      Object.keys(dialogues).forEach((questionId) => {
        paths[questionId] = [];
        dialogues[questionId].reset();
      });
      say("Your answers are cleared.");
    });
    find(root, ":scope > [data-nojs]").hidden = true;
    if (saved.version && saved.version !== quiz.version) say("This quiz has changed since your answers were saved; check them before you download.");
  }

  function startWidgets() {
    // Material's search dialog has no accessible name (Lighthouse: aria-dialog-name).
    const search = document.querySelector(".md-search[role=dialog]");
    if (search) search.setAttribute("aria-label", "Search the course");
    findAll(document, "[data-course-quiz]:not([data-ready])").forEach((root) => {
      root.dataset.ready = "1";
      startQuiz(root);
    });
    findAll(document, "[data-course-dialogue][data-mode=practice]:not([data-ready])").forEach((root) => {
      root.dataset.ready = "1";
      startDialogue(root);
    });
  }
  // Material's instant navigation swaps pages without reloading scripts; document$ tells us when.
  const material = /** @type {Window & {document$?: {subscribe: (next: () => void) => unknown}}} */ (window);
  if (material.document$) material.document$.subscribe(startWidgets);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startWidgets);
  else startWidgets();
})();
