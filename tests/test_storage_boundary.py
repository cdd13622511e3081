"""The storage boundary: ``storage/`` imports no Scrapy, and of the crawler only its vocabulary.

The rule is stated in ``storage/__init__.py``. Every module of the package is read with
``ast`` (imports inside functions count too), so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

STORAGE = Path(__file__).resolve().parent.parent / "storage"
ALLOWED_CRAWLER_MODULES = frozenset({"crawler.items", "crawler.urls"})


def forbidden_imports(source: str) -> list[str]:
    """Return each import in ``source`` that storage must not make, as ``line: module``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from crawler import items`` imports crawler.items: judge the full names.
            names = [
                f"{node.module}.{alias.name}"
                if node.module in {"crawler", "scrapy"}
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found += [f"{node.lineno}: {name}" for name in names if _forbidden(name)]
    return found


def _forbidden(module: str) -> bool:
    top = module.split(".")[0]
    if top == "scrapy":
        return True
    if top != "crawler":
        return False
    return not any(
        module == allowed or module.startswith(f"{allowed}.") for allowed in ALLOWED_CRAWLER_MODULES
    )


def _storage_modules() -> list[Path]:
    return sorted(STORAGE.rglob("*.py"))


def test_the_scan_sees_every_sort_of_import_storage_must_not_make() -> None:
    source = (
        "import scrapy\n"
        "from scrapy.http import Request\n"
        "from crawler.parsing import PARSER_VERSION\n"
        "from crawler import pipelines, items\n"
        "def lazy():\n"
        "    import crawler.spiders.blogger\n"
        "from crawler.items import BlogPost\n"
        "from crawler.urls import canonical_url\n"
        "import crawler.items\n"
        "from . import models\n"
    )
    assert forbidden_imports(source) == [
        "1: scrapy",
        "2: scrapy.http",
        "3: crawler.parsing",
        "4: crawler.pipelines",
        "6: crawler.spiders.blogger",
    ]


def test_storage_has_modules_to_check() -> None:
    names = {path.relative_to(STORAGE).as_posix() for path in _storage_modules()}
    assert {"__init__.py", "repository.py", "batch.py", "spool.py", "runs.py"} <= names
    assert any(name.startswith("migrations/versions/") for name in names)


@pytest.mark.parametrize("path", _storage_modules(), ids=lambda path: path.name)
def test_storage_imports_only_the_crawler_vocabulary_and_no_scrapy(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8")) == [], (
        f"{path}: storage may import only {sorted(ALLOWED_CRAWLER_MODULES)} of the crawler, "
        "and no Scrapy (storage/__init__.py)"
    )
