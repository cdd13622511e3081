"""The Scrapy side of blogingest: parsing (pure), cleaning (pure), spiders, pipelines."""
