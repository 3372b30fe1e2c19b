"""The page script's rules of play (docs/javascripts/scenario.js) agree with the grader's: the same seed deals the same
variant and details, a path replays to the same ending and score, and each reply costs the same. Run in Node, as the
type check is; on every real practice scenario and on random seeds and paths."""

from __future__ import annotations

import html
import json
import random
import re
import subprocess

import pytest

from grader.course import load_public
from grader.dialogue.analysis import analyse_paths, item_score
from grader.dialogue.costs import reply_costs
from grader.dialogue.engine import replay
from grader.dialogue.variants import random_choice, replay_answer
from grader.site.dialogue_widget import dialogue_html
from tests.conftest import ROOT

SCRIPT = (ROOT / "docs" / "javascripts" / "scenario.js").as_uri()
# For each case: the scenario dealt by its seed, the path replayed there, and what the page would show.
RUN = """
import { readFileSync } from "fs";
import { bestScores, deal, dealtScenario, itemScore, replay, replyCosts } from "%s";
const cases = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map(({ data, seed, path }) => {
  const dealt = deal(data, seed), scenario = dealtScenario(data, dealt), progress = replay(scenario, path);
  const best = bestScores(scenario), top = best(scenario.start, replay(scenario, []).meters);
  return {
    dealt, ending: progress.ending, raw: progress.raw, top, score: itemScore(data.points, progress.raw, top),
    costs: replyCosts(scenario, progress, best), say: scenario.nodes[scenario.start].say,
    texts: progress.turns.map((turn) => turn.reply.text),
  };
});
process.stdout.write(JSON.stringify(out));
"""


def _island(fragment: str) -> dict:
    return json.loads(html.unescape(re.search(r'data-course="([^"]*)"', fragment).group(1)))


def _node(cases: list[dict]) -> list[dict]:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", RUN % SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _random_path(d, rng: random.Random) -> list[str]:
    path: list[str] = []
    while True:
        rep = replay(d, path)
        if rep.ending is not None:
            return path
        node = rep.taken[-1][1].next if rep.taken else d.start
        path.append(rng.choice(d.nodes[node].replies).id)


COURSE = load_public(ROOT)
PRACTICE = sorted(sid for sid, d in COURSE.dialogues.items() if not d.exam)


@pytest.mark.parametrize("scenario", PRACTICE)
def test_the_page_deals_replays_scores_and_costs_as_the_grader_does(scenario):
    d = COURSE.dialogues[scenario]
    data = _island(dialogue_html(COURSE, d, lambda target: None, "d"))
    rng = random.Random(scenario)
    cases, expected = [], []
    for seed in [0, 1, 2**32 - 1, *(rng.randrange(2**32) for _ in range(8))]:
        dealt = replay_answer(d, {"replies": [], "seed": seed}).scenario
        for path in (list(analyse_paths(dealt).best_path), list(analyse_paths(dealt).worst_path), _random_path(dealt, rng)):
            rep = replay(dealt, path)
            choice = random_choice(d, seed)
            cases.append({"data": data, "seed": seed, "path": path})
            expected.append(
                {
                    "dealt": {"variant": choice.variant, "details": dict(choice.details)},
                    "ending": rep.ending.id,
                    "raw": rep.raw,
                    "top": analyse_paths(dealt).best,
                    "score": round(item_score(dealt, rep, d.points), 2),
                    "costs": reply_costs(dealt, rep),
                    "say": dealt.nodes[dealt.start].say,
                    "texts": [reply.text for _, reply in rep.taken],
                }
            )
    assert _node(cases) == expected
