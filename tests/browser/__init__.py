"""Browser tests: the built site, served under a sub-path, driven in Debian's Chromium."""
