"""The worker processes: results in order, a bounded window of work, errors reported, no worker left behind."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from grader.grading import workers


def square_plus(context: dict, item: int) -> int:
    return item * item + context["plus"]


def explode_on_seven(context: dict, item: int) -> int:
    if item == 7 * 97:
        raise RuntimeError("seven")
    return item


def who(context: dict, item: int) -> int:
    return os.getpid()


def test_results_come_back_in_order_from_several_processes():
    items = list(range(2000))
    assert list(workers.map_in_order(square_plus, {"plus": 3}, items, jobs=2)) == [n * n + 3 for n in items]
    assert len(set(workers.map_in_order(who, None, items, jobs=2))) == 2
    assert multiprocessing.active_children() == []


def test_small_batches_and_one_job_stay_in_this_process():
    assert set(workers.map_in_order(who, None, list(range(workers.POOL_THRESHOLD - 1)), jobs=2)) == {os.getpid()}
    assert set(workers.map_in_order(who, None, list(range(1000)), jobs=1)) == {os.getpid()}


def test_never_more_than_the_window_is_out(monkeypatch):
    sent = []
    original = workers._Worker.send

    def counting(self, chunk):
        if chunk is not None:
            sent.append(len(chunk))
        original(self, chunk)

    monkeypatch.setattr(workers._Worker, "send", counting)
    taken = 0
    most = 0
    for done in workers._in_order(
        crew := [workers._Worker(square_plus, {"plus": 0}) for _ in range(2)], [[n] * 16 for n in range(100)], window=3
    ):
        taken += 1
        most = max(most, len(sent) - taken)
        assert done == [done[0]] * 16
    for worker in crew:
        worker.end(now=False)
    assert len(sent) == 100 and most <= 3


def test_progress_counts_every_item():
    seen = []
    list(workers.map_in_order(square_plus, {"plus": 0}, list(range(1000)), jobs=2, progress=seen.append))
    assert seen[-1] == 1000 and seen == sorted(seen)


def test_a_failing_item_is_reported_and_every_worker_ended():
    with pytest.raises(workers.WorkerError, match=r"a worker process failed \(RuntimeError: seven\)"):
        list(workers.map_in_order(explode_on_seven, None, list(range(2000)), jobs=2))
    assert multiprocessing.active_children() == []


def test_stopping_early_ends_the_workers():
    results = workers.map_in_order(square_plus, {"plus": 0}, list(range(5000)), jobs=2)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []
