"""The class around the hand-ins: the roster, LMS file naming, zips, deadlines, overrides and what changed since the last run."""
