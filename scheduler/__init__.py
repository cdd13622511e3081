"""Scheduled background crawls: config, job building, the crawl runner and the worker.

Layout: :mod:`scheduler.config` reads and validates the TOML schedule, :mod:`scheduler.jobs`
turns it into job specs (pure), :mod:`scheduler.process` supervises one crawl subprocess,
:mod:`scheduler.runner` is the APScheduler job function that records a run, and
:mod:`scheduler.worker` wires it all into a long-lived APScheduler 3.x process.
"""
