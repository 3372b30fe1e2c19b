"""Parallel grading hands out a bounded window of work, keeps file order, and names files as given."""

from __future__ import annotations

from concurrent.futures import Future

from grader import grading


class _CountingPool:
    """Runs each submitted chunk at once and counts chunks handed out but not yet taken back."""

    def __init__(self):
        self.out = 0
        self.most = 0

    def submit(self, fn, *args):
        self.out += 1
        self.most = max(self.most, self.out)
        future = Future()
        future.set_result(fn(*args))
        original = future.result

        def taken(*a, **k):
            self.out -= 1
            return original(*a, **k)

        future.result = taken
        return future


def _double(n: int) -> int:
    return 2 * n


def test_the_window_keeps_order_and_never_hands_out_more_than_it_may():
    pool = _CountingPool()
    chunks = [list(range(i, i + 5)) for i in range(0, 100, 5)]
    got = list(grading._in_window(pool, _double, chunks, window=3))
    assert got == [2 * n for n in range(100)]
    assert pool.most == 3 and pool.out == 0


def test_a_window_larger_than_the_work_is_fine():
    assert list(grading._in_window(_CountingPool(), _double, [[1], [2]], window=8)) == [2, 4]
    assert list(grading._in_window(_CountingPool(), _double, [], window=2)) == []


def test_collected_names_are_normalised_once_and_links_graded_once(tmp_path):
    (tmp_path / "class" / "b").mkdir(parents=True)
    (tmp_path / "class" / "a.yml").write_text("x: 1\n")
    (tmp_path / "class" / "b" / "c.json").write_text("{}")
    (tmp_path / "class" / "notes.txt").write_text("not an answer file\n")
    (tmp_path / "class" / ".hidden.yml").write_text("x: 1\n")
    (tmp_path / "class" / "b" / "again.yml").symlink_to(tmp_path / "class" / "a.yml")
    given = f"{tmp_path}/./class//"
    found, skipped = grading.collect([given, tmp_path / "class" / "a.yml"])
    assert [name for name, _ in found] == [f"{tmp_path}/class/a.yml", f"{tmp_path}/class/b/c.json"]
    assert all(name == display for name, display in found)
    assert skipped == [
        grading.Skipped(f"{tmp_path}/class/.hidden.yml", "hidden file"),
        grading.Skipped(f"{tmp_path}/class/notes.txt", "not an answer file (.txt); only .yml, .yaml and .json are graded"),
    ]
