"""Background jobs: every periodic job records each run (start, end, outcome, what it did) in JobRun."""
