"""The spiders: a thin router (:class:`~crawler.spiders.blogger.BloggerSpider`) and its routes.

How the blogger spider is put together (each piece one module):

- ``blogger.py``: the spider. ``from_crawler`` validates the arguments and ends in
  ``assemble(crawler)``, which builds everything below with plain values. Every request's
  callback and errback are the spider's ``route_response`` / ``route_failure``; they hand the
  response or failure to the route named by ``request.meta["route"]``.
- ``blog_requests.py``: :class:`BlogRequests`, the one builder of requests (route name, the
  blog's meta from its run accounting, priority), and the :class:`Route` protocol: a
  ``name`` and ``parse(response)`` / ``failed(failure)``, each yielding requests and items.
- ``blog_targets.py``: :class:`BlogTargets`, the blogs being crawled by start URL (public:
  ``open``, ``of(meta)``, ``get``, ``values``, ``opened_runs()``); ``blog_plan.py``: a
  :class:`BlogTarget` (with its ``run_id`` and ``full``) and ``decide()``, whether a post is
  fetched; ``blog_state.py``: what storage knows of a blog, loaded into its target.
- ``blog_runs.py``: :class:`BlogRunAccounting`, how a blog's run is kept: ``LocalRuns`` (one
  process) or ``SharedRuns`` (distributed, issue 7), chosen once in ``assemble``.
- Routes: ``home_route.py`` (home page, the blog's target), ``feed_route.py`` (post feed and
  comments feed), ``post_comments_route.py`` (each long thread's own comments feed when the
  blog-wide one is off), ``sitemap_route.py``, ``pager_route.py`` (fallback when no feed works),
  ``post_route.py`` (whether a discovered post is fetched; post pages and failures),
  ``feed_sample_route.py`` (feed-first: posts built from feed entries, the verification
  sample's pages), ``deletion_check.py`` (after a complete post-feed listing: are the
  unlisted stored posts gone? 404/410 → ``PostGone``).

Adding a route: write one module with a class that has a unique ``name`` and ``parse`` /
``failed`` (taking in its ``__init__`` the collaborators it needs: crawler, ledger, targets,
requests, other routes), build its requests with ``requests.for_blog(self.name, target, url,
priority=..., meta=...)``, and add it to the route list at the end of
``BloggerSpider.assemble``. Routes that hand on to another route take it as a constructor
argument (posts found go to ``PostRoute.discovered``). Nothing else changes.
"""
