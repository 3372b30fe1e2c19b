"""The second floor for grading: create N small files in an empty folder and nothing else.

`grader grade` writes one feedback file per learner and activity; this is the cost of creating that many
files on the same disk, with no reading, grading or rendering. Run as a script, like floor.py:
`python benchmarks/create_floor.py DEST N BYTES` creates DEST and N files of BYTES bytes in it.
"""

import os
import sys


def create(dest: str, count: int, size: int) -> None:
    """Write `count` files of `size` bytes into the new folder `dest`, one folder per hundred as feedback is laid out."""
    os.makedirs(dest)
    body = b"x" * size
    for number in range(count):
        folder = os.path.join(dest, f"{number // 100:04d}")
        if number % 100 == 0:
            os.mkdir(folder)
        with open(os.path.join(folder, f"{number:05d}.md"), "wb") as handle:
            handle.write(body)


if __name__ == "__main__":
    create(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
