"""Speed and size measurements for the grader and the site; run with `python -m benchmarks.run`."""
