"""The plots and the trials table over the study model, and the helpers they share."""
