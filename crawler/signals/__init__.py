"""Pure parsers for the machine-readable rules a website publishes (robots.txt, AI preferences,
TDMRep, X-Robots-Tag, walls). No Scrapy, no I/O, no network: middlewares feed them text.
None of them may raise on any input, and none may read a malformed value as permission.
"""
