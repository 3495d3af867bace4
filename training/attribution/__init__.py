"""Training the attribution tagger (reported speech: Source / Cue / Content) on PolNeAR train."""
