"""The floor for grading: list the same files, read each and parse it with PyYAML's C loader, nothing else.

Run as a script so it pays the same interpreter start-up as `grader grade`:
`python benchmarks/floor.py FOLDER` prints `files parsed failed`.
"""

import os
import sys

import yaml


def parse_all(folder: str) -> tuple[int, int]:
    """Parse every file under `folder`; return (files, files that failed to parse)."""
    files = failed = 0
    for here, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            with open(os.path.join(here, name), "rb") as handle:
                raw = handle.read()
            try:
                yaml.load(raw, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                failed += 1
            files += 1
    return files, failed


if __name__ == "__main__":
    total, bad = parse_all(sys.argv[1])
    print(total, total - bad, bad)
