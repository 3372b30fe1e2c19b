/* Quizzes that save answers and write answer files, and practice dialogues.
   The markup and its JSON data come from grader/site.py; the rules of play repeat grader/dialogue.py. */
(() => {
  "use strict";
  const LEARNER = "course:learner";
  const $ = (root, sel) => root.querySelector(sel);
  const $$ = (root, sel) => Array.from(root.querySelectorAll(sel));
  // In an attribute, not a script island: instant navigation re-runs inline scripts as code.
  const data = (root) => JSON.parse(root.dataset.course);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }
  function store(key, value) {
    // Private windows or a full store: the page still works, it only forgets.
    try { value == null ? localStorage.removeItem(key) : localStorage.setItem(key, JSON.stringify(value)); } catch (e) {}
  }
  function speaker(region) {
    // Emptying first makes a repeated message heard again.
    return (text) => { region.textContent = ""; setTimeout(() => { region.textContent = text; }, 60); };
  }
  function list(items) { return items.length ? items.join(", ") : "none"; }
  function dim(button, off) { off ? button.setAttribute("aria-disabled", "true") : button.removeAttribute("aria-disabled"); }

  // A second press confirms, so the keyboard answers without a dialog box.
  function confirmed(button, say, why) {
    if (button.dataset.armed) { disarm(button); return true; }
    button.dataset.armed = button.textContent;
    button.textContent = button.dataset.armed + "? Press again";
    say((why ? why + " " : "") + "Press " + button.dataset.armed + " again to confirm.");
    button.addEventListener("blur", () => disarm(button), { once: true });
    return false;
  }
  function disarm(button) {
    if (button.dataset.armed) { button.textContent = button.dataset.armed; delete button.dataset.armed; }
  }

  // ------------------------------------------------------------ answer files

  function yamlString(value) {
    let s = String(value);
    if (s.toWellFormed) s = s.toWellFormed();
    // JSON strings are YAML strings once the characters YAML readers refuse are escaped.
    return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
      (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  }
  function yamlValue(v) {
    if (typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return "[" + v.map(yamlString).join(", ") + "]";
    if (typeof v === "object") return "{" + Object.keys(v).map((k) => yamlString(k) + ": " + yamlString(v[k])).join(", ") + "}";
    return yamlString(v);
  }
  function answerFile(activity, version, learner, answers) {
    const lines = ["format: 1", "quiz: " + yamlString(activity), "version: " + yamlString(version), "learner:", "  id: " + yamlString(learner.id)];
    if (learner.name) lines.push("  name: " + yamlString(learner.name));
    lines.push("submitted: " + yamlString(new Date().toISOString().replace(/\.\d+Z$/, "Z")));
    const ids = Object.keys(answers);
    lines.push(ids.length ? "answers:" : "answers: {}");
    ids.forEach((id) => lines.push("  " + yamlString(id) + ": " + yamlValue(answers[id])));
    return lines.join("\n") + "\n";
  }
  function download(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    const a = el("a");
    a.href = url;
    a.download = name;
    a.click(); // left out of the document so Material's instant navigation never sees the click
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  function learnerProblem(id, rule) {
    // The grader's words (grader/answers.py check_learner_id), so the page and the grader agree.
    if (!id) return "learner id is missing; " + rule.rule;
    if (!new RegExp(rule.pattern).test(id)) return "learner id '" + (id.length > 80 ? id.slice(0, 77) + "..." : id) + "' is not allowed; " + rule.rule;
    return "";
  }

  // The learner id and name fields, remembered for every page; `make` gives [activity, version, answers, note].
  function handin(panel, rule, say, make) {
    const id = $(panel, "[data-learner-id]"), name = $(panel, "[data-learner-name]");
    const saved = load(LEARNER) || {};
    id.value = saved.id || id.value;
    name.value = saved.name || name.value;
    const remember = () => store(LEARNER, { id: id.value.trim(), name: name.value.trim() });
    id.addEventListener("change", remember);
    name.addEventListener("change", remember);
    const button = $(panel, "[data-action=download]");
    button.addEventListener("click", () => {
      const learner = { id: id.value.trim(), name: name.value.trim() };
      const problem = learnerProblem(learner.id, rule);
      if (problem) {
        id.setAttribute("aria-invalid", "true");
        id.focus();
        say(problem.charAt(0).toUpperCase() + problem.slice(1) + ".");
        return;
      }
      id.removeAttribute("aria-invalid");
      remember();
      const [activity, version, answers, note] = make();
      // Unanswered questions are listed first; a second press downloads anyway.
      if (note && !confirmed(button, say, note)) return;
      const file = activity + "-" + learner.id + ".yml";
      download(file, answerFile(activity, version, learner, answers));
      say((note ? note + " " : "") + "Downloaded " + file + ".");
    });
    panel.hidden = false;
  }

  // ------------------------------------------------------------ dialogues

  // Replays a path from the start, as grader/dialogue.py does, stopping at the first choice not on offer.
  function walk(d, ids) {
    const meters = {};
    for (const m in d.meters) meters[m] = d.meters[m].start;
    const s = { path: [], turns: [], meters, raw: 0, steps: [], mistakes: [], node: d.start, ending: null };
    for (const id of Array.isArray(ids) ? ids : []) {
      const node = d.nodes[s.node];
      const reply = !s.ending && node && node.replies.find((r) => r.id === id);
      if (!reply) break;
      for (const m in reply.effect) if (m in meters) meters[m] += reply.effect[m];
      s.raw += reply.score;
      reply.steps.forEach((x) => s.steps.includes(x) || s.steps.push(x));
      reply.mistakes.forEach((x) => s.mistakes.includes(x) || s.mistakes.push(x));
      const rule = d.rules.find((r) => (r.at_most != null && meters[r.meter] <= r.at_most) || (r.at_least != null && meters[r.meter] >= r.at_least));
      const end = rule ? rule.ending : d.endings[reply.next] ? reply.next : null;
      s.turns.push({ node: s.node, reply, meters: Object.assign({}, meters) });
      s.path.push(id);
      if (end) { s.ending = end; s.raw += d.endings[end].score; } else s.node = reply.next;
    }
    return s;
  }
  function itemScore(d, raw) {
    // points x raw / best, kept between 0 and points (grader.dialogue.item_score).
    if (!d.best || d.best <= 0) return 0;
    return Math.round(Math.min(Math.max(d.points * raw / d.best, 0), d.points) * 100) / 100;
  }

  // `keep` holds the path: its own store when practising, the quiz's answer in a quiz.
  function initDialogue(root, keep) {
    const d = data(root), play = $(root, "[data-play]");
    const log = $(play, "[data-log]"), replies = $(play, "[data-replies]"), debrief = $(play, "[data-debrief]");
    const undo = $(play, "[data-action=undo]"), restart = $(play, "[data-action=restart]");
    const say = speaker($(play, "[data-say]"));
    const who = d.customer || "Customer";
    const key = "course:dialogue:" + d.id;
    keep = keep || {
      get: () => (load(key) || {}).path,
      set: (path) => store(key, path.length ? { version: d.version, path } : null),
    };
    let state = walk(d, keep.get());
    const line = (nid) => who + ": " + d.nodes[nid].say;
    const meterText = (m, v) => d.meters[m].label + " " + v + " of " + d.meters[m].max;

    function message(cls, speakerName, text, note) {
      const li = el("li", "course-said " + cls);
      li.append(el("span", "course-who", speakerName), el("p", null, text));
      if (note) li.append(el("p", "course-note", note));
      return li;
    }
    function feedback(turn) {
      const r = turn.reply, li = el("li", "course-feedback");
      li.tabIndex = -1;
      li.append(el("p", null, r.feedback));
      const effects = Object.keys(r.effect).filter((m) => m in d.meters).map((m) => d.meters[m].label + " "
        + (r.effect[m] > 0 ? "up " + r.effect[m] : r.effect[m] < 0 ? "down " + -r.effect[m] : "unchanged")
        + " (now " + turn.meters[m] + " of " + d.meters[m].max + ")");
      if (effects.length) li.append(el("p", "course-hint", effects.join("; ")));
      if (r.steps.length) li.append(el("p", "course-hint", "Steps: " + r.steps.map((x) => d.steps[x] || x).join(", ")));
      if (r.mistakes.length) li.append(el("p", "course-mistake", "Mistake: " + r.mistakes.map((x) => d.mistakes[x] || x).join(", ")));
      if (r.lesson) {
        const a = el("a", null, "Read the lesson section"), p = el("p");
        a.href = r.lesson;
        p.append(a);
        li.append(p);
      }
      return li;
    }
    function showDebrief() {
      const end = d.endings[state.ending], score = itemScore(d, state.raw);
      const rows = [
        "Outcome: " + (d.outcomes[end.outcome] || end.outcome),
        "Path: " + state.path.join(", ") + " (" + state.path.length + (state.path.length === 1 ? " choice)" : " choices)"),
        "Steps shown: " + list(state.steps.map((x) => d.steps[x] || x)),
        "Mistakes made: " + list(state.mistakes.map((x) => d.mistakes[x] || x)),
        "Score: " + state.raw + " (the best path scores " + d.best + "), worth " + score + " of " + d.points + " points",
      ];
      const ul = el("ul");
      rows.forEach((t) => ul.append(el("li", null, t)));
      debrief.replaceChildren(el("p", "course-debrief-title", "Ending: " + end.title), el("p", null, end.debrief), ul);
    }
    function render(spoken) {
      log.replaceChildren();
      state.turns.forEach((t) => {
        log.append(message("course-customer", who, d.nodes[t.node].say, d.nodes[t.node].note), message("course-you", "You", t.reply.text), feedback(t));
      });
      if (!state.ending) log.append(message("course-customer", who, d.nodes[state.node].say, d.nodes[state.node].note));
      replies.replaceChildren();
      if (!state.ending) {
        d.nodes[state.node].replies.forEach((r) => {
          const b = el("button", "course-reply", r.text);
          b.type = "button";
          b.dataset.reply = r.id;
          replies.append(b);
        });
      }
      replies.hidden = !!state.ending;
      debrief.hidden = !state.ending;
      if (state.ending) showDebrief();
      $$(play, "[data-meter]").forEach((p) => {
        const m = d.meters[p.dataset.meter], v = state.meters[p.dataset.meter];
        $(p, "[data-meter-text]").textContent = meterText(p.dataset.meter, v);
        $(p, "[data-meter-bar]").style.width = Math.round(100 * (v - m.min) / ((m.max - m.min) || 1)) + "%";
      });
      dim(undo, !state.path.length);
      dim(restart, !state.path.length);
      const panel = $(root, ":scope > [data-handin]");
      if (panel) panel.hidden = !state.ending;
      if (spoken != null) say(spoken + (state.ending ? "Ending: " + d.endings[state.ending].title + "." : line(state.node)));
    }
    function update(path, focusOn, spoken) {
      state = walk(d, path);
      keep.set(state.path);
      render(spoken);
      const target = focusOn === "turn" ? (state.ending ? debrief : log.lastElementChild.previousElementSibling)
        : focusOn === "undo" && state.path.length ? undo : null;
      (target && !target.hidden ? target : $(replies, "button") || debrief).focus();
    }

    replies.addEventListener("click", (e) => {
      const b = e.target.closest("[data-reply]");
      if (b) update(state.path.concat(b.dataset.reply), "turn", "");
    });
    undo.addEventListener("click", () => {
      if (state.path.length) update(state.path.slice(0, -1), "undo", "Last choice undone. ");
    });
    restart.addEventListener("click", () => {
      if (state.path.length && confirmed(restart, say)) update([], null, "Started again. ");
    });
    if (!keep.quiz) {
      handin($(root, ":scope > [data-handin]"), d.learner, speaker($(root, ":scope > [data-handin] [data-status]")),
        () => [d.id, d.version, { path: state.path }, ""]);
    }
    $(root, ":scope > [data-course-text]").hidden = true;
    play.hidden = false;
    render();
    return {
      ended: () => !!state.ending,
      reset: () => { state = walk(d, []); render(); },
    };
  }

  // ------------------------------------------------------------ quizzes

  const read = {
    single: (f) => { const c = $(f, "input:checked"); return c ? c.value : undefined; },
    true_false: (f) => { const c = $(f, "input:checked"); return c ? c.value === "true" : undefined; },
    multiple: (f) => { const v = $$(f, "input:checked").map((i) => i.value); return v.length ? v : undefined; },
    ordering: (f) => ($(f, "ol").dataset.moved ? $$(f, "li").map((li) => li.dataset.item) : undefined),
    matching: (f) => {
      const o = {};
      $$(f, "select").forEach((s) => { if (s.value) o[s.dataset.pair] = s.value; });
      return Object.keys(o).length ? o : undefined;
    },
    short_text: (f) => $(f, "input").value.trim() || undefined,
  };
  const write = {
    single: (f, v) => $$(f, "input").forEach((i) => { i.checked = [].concat(v).map(String).includes(i.value); }),
    ordering: (f, v) => {
      const ol = $(f, "ol"), items = $$(ol, "li");
      if (!Array.isArray(v) || v.length !== items.length || !items.every((li) => v.includes(li.dataset.item))) return;
      v.forEach((id) => ol.append(items.find((li) => li.dataset.item === id)));
      ol.dataset.moved = "1";
    },
    matching: (f, v) => $$(f, "select").forEach((s) => { s.value = (v && v[s.dataset.pair]) || ""; if (s.selectedIndex < 0) s.value = ""; }),
    short_text: (f, v) => { $(f, "input").value = typeof v === "string" ? v : ""; },
  };
  write.true_false = write.multiple = write.single;

  function edges(ol) {
    $$(ol, "li").forEach((li, i, all) => {
      dim($(li, "[data-move=up]"), i === 0);
      dim($(li, "[data-move=down]"), i === all.length - 1);
    });
  }

  function initQuiz(root) {
    const info = data(root), form = $(root, "form"), key = "course:quiz:" + info.quiz;
    const panel = $(root, ":scope > [data-handin]");
    const say = speaker($(panel, "[data-status]"));
    const fields = {}, widgets = {}, original = {};
    $$(form, ":scope > [data-question]").forEach((f) => { fields[f.dataset.question] = f; });
    const saved = load(key) || {};
    const paths = {};

    function answers() {
      const out = {};
      info.questions.forEach((q) => {
        const v = q.type === "dialogue" ? (paths[q.id] && paths[q.id].length ? paths[q.id] : undefined) : read[q.type](fields[q.id]);
        if (v !== undefined) out[q.id] = v;
      });
      return out;
    }
    const save = () => store(key, { version: info.version, answers: answers() });

    info.questions.forEach((q) => {
      const f = fields[q.id], v = (saved.answers || {})[q.id];
      if (q.type === "ordering") {
        original[q.id] = $$(f, "li");
        edges($(f, "ol"));
      }
      if (q.type === "dialogue") {
        paths[q.id] = Array.isArray(v) ? v : [];
        widgets[q.id] = initDialogue($(f, "[data-course-dialogue]"), {
          quiz: true,
          get: () => paths[q.id],
          set: (path) => { paths[q.id] = path; save(); },
        });
      } else if (v !== undefined) {
        write[q.type](f, v);
      }
      if (q.type === "ordering") edges($(f, "ol"));
    });

    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("input", save);
    form.addEventListener("click", (e) => {
      const b = e.target.closest("[data-move]");
      if (!b) return;
      const li = b.closest("li"), ol = li.parentNode, up = b.dataset.move === "up";
      const other = up ? li.previousElementSibling : li.nextElementSibling;
      const text = $(li, ".course-item-text").textContent;
      if (!other) { say(text + " is already " + (up ? "first." : "last.")); return; }
      // Move the neighbour, not the item, so the pressed button keeps focus.
      ol.insertBefore(other, up ? li.nextElementSibling : li);
      ol.dataset.moved = "1";
      edges(ol);
      b.focus();
      const items = $$(ol, "li");
      say(text + " moved to position " + (items.indexOf(li) + 1) + " of " + items.length + ".");
      save();
    });

    handin(panel, info.learner, say, () => {
      const given = answers();
      const missing = info.questions.filter((q) => !(q.id in given) || (q.type === "dialogue" && !widgets[q.id].ended()))
        .map((q) => "question " + q.number + (q.id in given ? " (dialogue not finished)" : ""));
      info.questions.forEach((q) => {
        const n = q.type === "matching" && q.id in given && $$(fields[q.id], "select").length - Object.keys(given[q.id]).length;
        if (n) missing.push("question " + q.number + " (" + n + " left to match)");
      });
      return [info.quiz, info.version, given, missing.length ? "Not answered: " + missing.join(", ") + "." : ""];
    });
    const start = $(panel, "[data-action=start-over]");
    start.addEventListener("click", () => {
      if (!confirmed(start, say)) return;
      store(key, null);
      form.reset();
      Object.keys(original).forEach((id) => {
        const ol = $(fields[id], "ol");
        original[id].forEach((li) => ol.append(li));
        delete ol.dataset.moved;
        edges(ol);
      });
      Object.keys(widgets).forEach((id) => { paths[id] = []; widgets[id].reset(); });
      say("Your answers are cleared.");
    });
    $(root, ":scope > [data-nojs]").hidden = true;
    if (saved.version && saved.version !== info.version) say("This quiz has changed since your answers were saved; check them before you download.");
  }

  function init() {
    // Material's search dialog has no accessible name (Lighthouse: aria-dialog-name).
    const search = $(document, ".md-search[role=dialog]");
    if (search) search.setAttribute("aria-label", "Search the course");
    $$(document, "[data-course-quiz]:not([data-ready])").forEach((root) => { root.dataset.ready = "1"; initQuiz(root); });
    $$(document, "[data-course-dialogue][data-mode=practice]:not([data-ready])").forEach((root) => { root.dataset.ready = "1"; initDialogue(root); });
  }
  // Material's instant navigation swaps pages without reloading scripts; document$ tells us when.
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
