"""Branching dialogues: the model, building one from its file, the engine that plays it, path analysis, checks, layout."""
