// A dialogue scenario as the page gets it, and its rules of play as grader/dialogue/engine.py has them: replaying a path, scoring it.
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

/**
 * Replays a path from the start, as grader/dialogue.py does, stopping at the first choice not on offer.
 * @param {DialogueData} scenario
 * @param {unknown} path  reply ids; anything else replays as no path
 * @returns {Progress}
 */
export function replay(scenario, path) {
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
export function itemScore(scenario, raw) {
  if (!scenario.best || scenario.best <= 0) return 0;
  return Math.round(Math.min(Math.max(scenario.points * raw / scenario.best, 0), scenario.points) * 100) / 100;
}

