"""Application layer: the steps after analysis, shared by every front end."""
