"""What every part of the grader shares: problems and usage errors, id rules, escaping, text, CSV, files, SVG, signals."""
