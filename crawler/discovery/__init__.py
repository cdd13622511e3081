"""Pure readers of Blogger discovery documents: feeds, sitemaps, home and listing pages.

Each module takes ``(url, bytes)`` and returns plain records; none imports Scrapy, so each is
tested alone on fixture bytes. Spiders route on their results.
"""
