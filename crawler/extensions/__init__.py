"""Crawl extensions: the shared database handle, run records, progress."""
