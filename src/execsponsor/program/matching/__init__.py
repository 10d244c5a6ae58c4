"""Selection and matching runs: the inputs read for the matcher, runs, what-ifs, approval, comparison."""
