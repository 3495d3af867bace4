"""The base of the errors unspin raises on purpose, so a caller can tell them from bugs:
``except UnspinError`` catches a bad input, a missing model, a refused database, a bad config.

A failed *item* in a batch is not an exception but a record, ``types.ItemFailure``.
"""

from __future__ import annotations


class UnspinError(Exception):
    """Something unspin checked and refused, with a message meant for the user."""
