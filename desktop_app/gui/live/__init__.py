"""What runs: the study model fed by events, the run controller and its worker, panda mode."""
