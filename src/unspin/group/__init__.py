"""Stage: group. Near-duplicates and stories."""

