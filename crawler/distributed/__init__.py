"""Distributed crawling: many workers on one scrapy-redis frontier and one database.

Off unless ``REDIS_URL`` is set (see :func:`crawler.distributed.config.distributed_settings`).
Layout: ``config`` (the settings switch and Redis key names), ``dupefilter`` (run-scoped
seen-set), ``start_jobs`` (the start-job list and the worker's idle-time consumer),
``run_accounts`` (per-run pending counters and counts, and who finishes a run).
"""
