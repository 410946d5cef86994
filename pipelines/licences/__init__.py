"""Licence and rights-holder detection for web pages: signals, SPDX normalisation, priorities.

Pure functions only (no Scrapy, no network); a licence that cannot be read is reported as
unreadable evidence, never guessed.
"""
