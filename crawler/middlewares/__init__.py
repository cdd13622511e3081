"""Downloader middlewares: blog-host filter, retry with backoff, conditional GET, offline seeds."""
