"""Stage: analyse. Components add findings with spans into the original text."""

