// A dialogue scenario as the page gets it, and its rules of play as grader/dialogue/ has them: dealing, replaying, scoring, costs.
/** @typedef {import("./learner.js").LearnerRule} LearnerRule */

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
 * One thing the learner can say. An exam scenario's replies carry only id, text, next and effect: the rest is in its key.
 * @typedef {object} Reply
 * @property {string} id
 * @property {string} text
 * @property {string} next  a node id or an ending id
 * @property {Record<string, number>} effect  meter id to change
 * @property {number} [score]  raw points
 * @property {string[]} [steps]  model step ids it practises
 * @property {string[]} [mistakes]  anti-pattern ids it shows
 * @property {string} [feedback]
 * @property {string | null} [lesson]  a link to the lesson section, or null
 */
/**
 * @typedef {object} CustomerTurn
 * @property {string} say
 * @property {string} note  how the customer sounds ("" for nothing)
 * @property {Reply[]} replies
 */
/**
 * An exam scenario's endings carry only their title.
 * @typedef {object} Ending
 * @property {string} title
 * @property {string} [outcome]  an outcome id, named in `outcomes`
 * @property {string} [debrief]
 * @property {number} [score]  raw points added on reaching it
 */
/**
 * A way the scenario can open (grader/dialogue/variants.py).
 * @typedef {object} Variant
 * @property {string} id
 * @property {string} label
 * @property {Record<string, number>} start  meter id to its start value
 * @property {Record<string, string>} say  node id to the customer's line
 * @property {Record<string, string>} note  node id to the stage direction
 */
/**
 * @typedef {object} StepInfo
 * @property {string} title
 * @property {string} model  the model's title
 * @property {boolean} met  whether the learner has met that model by this page
 */
/**
 * @typedef {object} MistakeInfo
 * @property {string} title
 * @property {string} group  the model or lesson that teaches it
 */
/**
 * A dialogue: the whole scenario for practice (public by design); for an exam (`exam`), only what plays it.
 * @typedef {object} DialogueData
 * @property {string} id
 * @property {string} title
 * @property {string} version
 * @property {string} customer  the customer's name ("" for none)
 * @property {Record<string, Meter>} meters
 * @property {MeterRule[]} rules
 * @property {string} start  the first node's id
 * @property {Record<string, CustomerTurn>} nodes
 * @property {Record<string, Ending>} endings
 * @property {LearnerRule} learner
 * @property {boolean} [exam]  an exam scenario: no meters, feedback or undo, and nothing that scores it
 * @property {number} [points]  what the dialogue is worth (in a quiz, the question's points)
 * @property {Record<string, string>} [outcomes]  outcome id to its name
 * @property {Record<string, StepInfo>} [steps]  for the steps the replies practise
 * @property {Record<string, MistakeInfo>} [mistakes]
 * @property {Variant[]} [variants]
 * @property {Array<[string, string[]]>} [details]  each detail's name and the texts one is dealt from, in file order
 * @property {string} [setting]  as written, `{name}` where a detail goes
 */
/**
 * @typedef {object} Deal  What a seed dealt: the variant (null: as written) and each detail's text.
 * @property {string | null} variant
 * @property {Record<string, string>} details
 */
/**
 * @typedef {object} Turn  A reply taken, and the meters after it.
 * @property {string} node  the node the reply answered
 * @property {Reply} reply
 * @property {Record<string, number>} meters
 */
/**
 * A path replayed by the rules of grader/dialogue/engine.py.
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

/** @param {object} owner @param {string} key */
const has = (owner, key) => Object.prototype.hasOwnProperty.call(owner, key);

/**
 * mulberry32, as grader/dialogue/variants.py has it: unsigned 32-bit draws from a seed.
 * @param {number} seed
 * @returns {() => number}
 */
function draws(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6D2B79F5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}
/** @returns {number}  a seed from 0 to 2^32 - 1 */
export const newSeed = () => crypto.getRandomValues(new Uint32Array(1))[0];

/**
 * The variant, then each detail, that `seed` deals: one draw each, item (draw * n) >> 32 of n.
 * @param {DialogueData} scenario
 * @param {number} seed
 * @returns {Deal}
 */
export function deal(scenario, seed) {
  const next = draws(seed), variants = scenario.variants || [];
  /** @param {number} count */
  const pick = (count) => Math.floor(next() * count / 4294967296);
  const variant = variants.length ? variants[pick(variants.length)].id : null;
  /** @type {Record<string, string>} */
  const details = {};
  (scenario.details || []).forEach(([name, texts]) => { if (texts.length) details[name] = texts[pick(texts.length)]; });
  return { variant, details };
}
/**
 * `text` with each `{name}` of a dealt detail filled in.
 * @param {string} text
 * @param {Deal} dealt
 */
export const fill = (text, dealt) => text.replace(/\{([a-z0-9][a-z0-9-]*)\}/g, (all, name) => (has(dealt.details, name) ? dealt.details[name] : all));

/**
 * The scenario as `dealt` plays it: the variant's meter starts and lines, every detail filled in.
 * @param {DialogueData} scenario
 * @param {Deal} dealt
 * @returns {DialogueData}
 */
export function dealtScenario(scenario, dealt) {
  const variant = (scenario.variants || []).find((found) => found.id === dealt.variant);
  /** @param {string} [text] */
  const filled = (text) => (text == null ? text : fill(text, dealt));
  /** @type {Record<string, Meter>} */
  const meters = {};
  for (const id in scenario.meters) meters[id] = { ...scenario.meters[id], start: variant && has(variant.start, id) ? variant.start[id] : scenario.meters[id].start };
  /** @type {Record<string, CustomerTurn>} */
  const nodes = {};
  for (const id in scenario.nodes) {
    const node = scenario.nodes[id];
    nodes[id] = {
      say: fill(variant && has(variant.say, id) ? variant.say[id] : node.say, dealt),
      note: fill(variant && has(variant.note, id) ? variant.note[id] : node.note, dealt),
      replies: node.replies.map((reply) => ({ ...reply, text: fill(reply.text, dealt), feedback: filled(reply.feedback) })),
    };
  }
  /** @type {Record<string, Ending>} */
  const endings = {};
  for (const id in scenario.endings) endings[id] = { ...scenario.endings[id], title: fill(scenario.endings[id].title, dealt), debrief: filled(scenario.endings[id].debrief) };
  return { ...scenario, meters, nodes, endings, setting: filled(scenario.setting) };
}

/**
 * One reply from `meters`: the meters after it, and the ending it reaches (rules first, then `next`), or null.
 * @param {DialogueData} scenario
 * @param {Record<string, number>} meters
 * @param {Reply} reply
 */
function advance(scenario, meters, reply) {
  const after = Object.assign({}, meters);
  for (const meterId in reply.effect) if (meterId in after) after[meterId] += reply.effect[meterId];
  const endingRule = scenario.rules.find((rule) => (rule.at_most != null && after[rule.meter] <= rule.at_most)
    || (rule.at_least != null && after[rule.meter] >= rule.at_least));
  return { meters: after, ending: endingRule ? endingRule.ending : scenario.endings[reply.next] ? reply.next : null };
}
/** @param {DialogueData} scenario */
function startMeters(scenario) {
  /** @type {Record<string, number>} */
  const meters = {};
  for (const meterId in scenario.meters) meters[meterId] = scenario.meters[meterId].start;
  return meters;
}

/**
 * Replays a path from the start, as grader/dialogue/engine.py does, stopping at the first choice not on offer.
 * @param {DialogueData} scenario
 * @param {unknown} path  reply ids; anything else replays as no path
 * @returns {Progress}
 */
export function replay(scenario, path) {
  /** @type {Progress} */
  const progress = { path: [], turns: [], meters: startMeters(scenario), raw: 0, steps: [], mistakes: [], node: scenario.start, ending: null };
  for (const replyId of Array.isArray(path) ? path : []) {
    const customerTurn = scenario.nodes[progress.node];
    const reply = !progress.ending && customerTurn && customerTurn.replies.find((offered) => offered.id === replyId);
    if (!reply) break;
    const step = advance(scenario, progress.meters, reply);
    progress.meters = step.meters;
    progress.raw += reply.score || 0;
    (reply.steps || []).forEach((id) => progress.steps.includes(id) || progress.steps.push(id));
    (reply.mistakes || []).forEach((id) => progress.mistakes.includes(id) || progress.mistakes.push(id));
    progress.turns.push({ node: progress.node, reply, meters: step.meters });
    progress.path.push(replyId);
    if (step.ending) {
      progress.ending = step.ending;
      progress.raw += scenario.endings[step.ending].score || 0;
    } else progress.node = reply.next;
  }
  return progress;
}

/**
 * The best raw score still possible from each (node, meters) state, as grader/dialogue/analysis.py has it.
 * @param {DialogueData} scenario
 * @returns {(node: string, meters: Record<string, number>) => number}
 */
export function bestScores(scenario) {
  const order = Object.keys(scenario.meters);
  /** @param {string} node @param {Record<string, number>} meters */
  const key = (node, meters) => node + " " + order.map((meterId) => meters[meterId]).join(",");
  /** @type {Map<string, Array<[number, string | null]>>} state to each reply's score and the state it leads to (null: an ending) */
  const edges = new Map();
  /** @type {Array<[string, Record<string, number>]>} */
  const todo = [[scenario.start, startMeters(scenario)]];
  while (todo.length) {
    const [node, meters] = /** @type {[string, Record<string, number>]} */ (todo.pop());
    const here = key(node, meters);
    if (edges.has(here) || !scenario.nodes[node]) continue;
    /** @type {Array<[number, string | null]>} */
    const out = [];
    edges.set(here, out);
    scenario.nodes[node].replies.forEach((reply) => {
      const step = advance(scenario, meters, reply), score = reply.score || 0;
      if (step.ending) out.push([score + (scenario.endings[step.ending].score || 0), null]);
      else if (scenario.nodes[reply.next]) {
        out.push([score, key(reply.next, step.meters)]);
        todo.push([reply.next, step.meters]);
      }
    });
  }
  /** @type {Map<string, number>} */
  const best = new Map();
  /** @param {string} state */
  const valueOf = (state) => (best.has(state) ? /** @type {number} */ (best.get(state)) : -Infinity);
  // The checks allow no loop that gains points, so the values settle within one round per state.
  for (let round = 0, changed = true; changed && round <= edges.size; round++) {
    changed = false;
    edges.forEach((out, state) => {
      const value = Math.max(...out.map(([score, to]) => (to === null ? score : score + valueOf(to))));
      if (value > valueOf(state)) {
        best.set(state, value);
        changed = true;
      }
    });
  }
  return (node, meters) => valueOf(key(node, meters));
}
/**
 * The best raw score a whole play can reach, from the start as dealt (grader/dialogue/analysis.py's best path).
 * @param {DialogueData} scenario
 * @returns {number}
 */
export function bestScore(scenario) {
  return bestScores(scenario)(scenario.start, startMeters(scenario));
}

/**
 * Each reply's cost: the best still possible before it, less the best after it (grader/dialogue/costs.py).
 * @param {DialogueData} scenario
 * @param {Progress} progress
 * @param {(node: string, meters: Record<string, number>) => number} best
 * @returns {number[]}
 */
export function replyCosts(scenario, progress, best) {
  const turns = progress.turns;
  return turns.map((turn, i) => {
    const before = best(turn.node, i ? turns[i - 1].meters : startMeters(scenario));
    const after = i + 1 < turns.length ? best(turns[i + 1].node, turn.meters)
      : progress.ending ? scenario.endings[progress.ending].score || 0 : best(turn.reply.next, turn.meters);
    return before - (turn.reply.score || 0) - after;
  });
}
/**
 * Points x raw / best, kept between 0 and points (grader.dialogue.analysis.item_score).
 * @param {number} points
 * @param {number} raw
 * @param {number} best  the best path's raw score
 * @returns {number}
 */
export function itemScore(points, raw, best) {
  if (!(best > 0)) return 0;
  return Math.round(Math.min(Math.max(points * raw / best, 0), points) * 100) / 100;
}
