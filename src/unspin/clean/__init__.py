"""Stage: clean. Mark boilerplate, split body paragraphs, detect language; ``original`` stays intact."""

