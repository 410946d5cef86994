"""Downloader and spider middlewares: identity, outcome recording, page capture."""
