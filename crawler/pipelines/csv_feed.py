"""The CSV feed export (``scrapy crawl ... -O posts.csv``): list fields as JSON arrays.

Scrapy's CSV exporter joins a list with commas, which cannot be split back when a paragraph
holds a comma. A list cell (``body_paragraphs``, ``labels``) is written as a JSON array
instead, as ``blogingest export --format csv`` writes it; every other cell as Scrapy does.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.exporters import CsvItemExporter


class JsonListCsvItemExporter(CsvItemExporter):
    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return json.dumps(list(value), ensure_ascii=False)
        return super().serialize_field(field, name, value)
