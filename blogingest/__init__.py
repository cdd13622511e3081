"""blogingest: harvest Blogger blogs into a database.

This package holds only the ``blogingest`` command line; the work lives in ``crawler``
(parsing, cleaning, crawling), ``storage`` (database) and ``scheduler`` (APScheduler worker).
"""
