"""Scrapy item pipeline stages (cleaning, storage ...), one module per stage."""
