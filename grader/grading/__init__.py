"""Grading answer files: read and check each, score it (pure), run many in worker processes, keep one per learner, write the outputs."""
