"""A list of text values sent as one bound parameter, for ``column IN (<the list>)``.

An ``IN`` list of a batch's hundreds of bound values costs SQLAlchemy and the driver more to
render and parse than the database's own work, and makes a statement per list length. Sent as
one parameter instead: a PostgreSQL text array read by ``unnest``, or on SQLite (no arrays) a
JSON text read by ``json_each``. Both databases take the column's index once per value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, Text, bindparam, func, select
from sqlalchemy.dialects import postgresql


def list_values(name: str, dialect_name: str) -> Select[Any]:
    """Return ``SELECT`` of the values of the list parameter ``name`` on that dialect."""
    if dialect_name == "postgresql":
        return select(func.unnest(bindparam(name, type_=postgresql.ARRAY(Text()))))
    return select(func.json_each(bindparam(name, type_=Text())).table_valued("value").c.value)


def list_param(values: Iterable[str], dialect_name: str) -> Any:
    """Return the parameter value of ``values`` for :func:`list_values` on that dialect."""
    listed = list(values)
    return listed if dialect_name == "postgresql" else json.dumps(listed)
