"""Parallel grading hands out a bounded window of work, keeps file order, and names files as given."""

from __future__ import annotations

from grader.grading import collect as grading


def test_collected_names_are_normalised_once_and_links_graded_once(tmp_path):
    (tmp_path / "class" / "b").mkdir(parents=True)
    (tmp_path / "class" / "a.yml").write_text("x: 1\n")
    (tmp_path / "class" / "b" / "c.json").write_text("{}")
    (tmp_path / "class" / "notes.txt").write_text("not an answer file\n")
    (tmp_path / "class" / ".hidden.yml").write_text("x: 1\n")
    (tmp_path / "class" / "b" / "again.yml").symlink_to(tmp_path / "class" / "a.yml")
    given = f"{tmp_path}/./class//"
    found, skipped = grading.collect([given, tmp_path / "class" / "a.yml"])
    assert [f.path for f in found] == [f"{tmp_path}/class/a.yml", f"{tmp_path}/class/b/c.json"]
    assert all(f.path == f.display for f in found)
    assert skipped == [
        grading.Skipped(f"{tmp_path}/class/.hidden.yml", "hidden file"),
        grading.Skipped(f"{tmp_path}/class/notes.txt", "not an answer file (.txt); only .yml, .yaml and .json are graded"),
    ]
