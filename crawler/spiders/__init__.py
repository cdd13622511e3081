"""Spiders: ``blogger`` (live blogs) and ``seeds`` (the same crawl over ``seeds/``, offline)."""
