"""Detection and removal of personal information in crawled text, offline and model-free by default.

Nothing in this package may download a model or data, or put a detected value in a log, a finding
or an exception message: only entity types, counts and shares leave it.
"""
