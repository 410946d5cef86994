"""Spiders: PolicySpider crawls what a policy file describes."""
