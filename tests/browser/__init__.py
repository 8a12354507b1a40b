"""Browser tests: Flasky in real Chromium (skipped where Chromium is absent)."""
