"""The `mkdocs serve` rebuild after editing one lesson: the same process builds, the lesson changes, it builds again.

`python benchmarks/rebuild.py SITE_DIR LESSON N` (from the project root) prints the N rebuild times, in
seconds, as JSON. `mkdocs serve` rebuilds the whole site in its own process on every change; so does this.
"""

import json
import sys
import time
from pathlib import Path


def rebuilds(site_dir: str, lesson: str, count: int) -> list[float]:
    """Build once, then `count` times: add a sentence to `lesson` and build again; the lesson is put back at the end."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    page = Path(lesson)
    original = page.read_text(encoding="utf-8")
    times = []
    try:
        build(load_config("mkdocs.yml", site_dir=site_dir, strict=True))
        for number in range(count):
            page.write_text(original + f"\nEdited for rebuild {number}.\n", encoding="utf-8")
            start = time.perf_counter()
            # serve reloads the configuration on every rebuild, as here
            build(load_config("mkdocs.yml", site_dir=site_dir, strict=True))
            times.append(time.perf_counter() - start)
    finally:
        page.write_text(original, encoding="utf-8")
    return times


if __name__ == "__main__":
    print(json.dumps(rebuilds(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
