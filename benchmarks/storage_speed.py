"""Storage write speed: batched upserts beside a plain Core executemany insert.

    python -m benchmarks.storage_speed [--rows 10000] [--repeat 3] [--batch 200]
                                       [--postgres URL] [--no-postgres]

For SQLite (a temp file) and PostgreSQL (``--postgres URL`` of an empty database, else a
throwaway cluster from tests/support/postgres.py when the server binaries exist), it times:

* plain insert: a Core ``INSERT`` executemany into a copy of ``posts`` (same columns, keys
  and indexes) of row dicts built *before* the clock starts (``storage.content.post_row`` with
  ``blog_id`` filled in). Timed: only the executemany and the commit of each batch; no row
  building, no hashing, no lookups. It is the floor of what storing these rows costs.
* upsert new: the same ``BlogPost`` records written into an empty ``posts`` exactly as the
  crawl's store stage writes a batch (:func:`storage.batch.write_batch` of a
  :class:`~storage.batch.Batch`, confined to the crawl's blog, comments on). The batches are
  filled before the clock starts as the store stage fills them while records arrive
  (``Batch.add_post``, which prepares each post's row: canonical URL, content hash, JSON
  lists; "row preparation alone" below is that cost). Timed: everything the batch's write
  does: stamping the rows, the ownership check, the blog upsert, the lookup of stored rows,
  the ``INSERT ... ON CONFLICT`` executemany, the posts' page threads (none here) and the
  commit of each batch.
* upsert statement: the production ``INSERT ... ON CONFLICT DO UPDATE`` of ``posts``
  (:func:`storage.repository.posts_upsert_statement`) executed over the plain insert's
  prebuilt rows into an empty ``posts``. Timed as the plain insert: the statement against a
  plain ``INSERT`` of the same rows, as the issue's reference table measures it.
* upsert same: the same records again (all unchanged: lookup, no post writes).
* upsert 10% changed: the same records with every tenth one edited (revisions written).
* row preparation alone: ``Batch.add_post`` of every record, no database: the work the
  store stage does per record as it arrives, before any batch is written (the plain insert
  is handed it done; "upsert new" too, as the crawl's batch write is).

Then, paired: the plain insert and each upsert mode are timed batch by batch side by side
(:func:`paired_ratios`), and the median share over ``--repeat`` runs is printed with its range.
On a machine shared with other processes this is the figure to read: the best-of timings above
are taken seconds apart and move by tens of points between runs.

Every database mode writes batches of ``--batch`` rows (default: the crawl's
``STORE_BATCH_SIZE``), one transaction per batch. Target: "upsert new" at >= 80% of plain
insert; it also pays for turning parsed records into rows (canonical URL, content hash), which
the plain insert is handed ready-made.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, MetaData, Table, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.items import BlogPost
from crawler.settings import STORE_BATCH_SIZE
from storage.batch import Batch, write_batch
from storage.content import post_row
from storage.database import make_engine, make_session_factory, redact_url
from storage.migrate import upgrade
from storage.models import Base, Blog, Post, PostRevision
from storage.repository import posts_upsert_statement, upsert_blogs
from storage.values import BlogInfo

_WORD_TEXT = (
    "the of and to in is was for on that with as his her they at by this had from but not "
    "journey morning garden kitchen recipe mountain river bread winter summer letter village "
    "church market friend school story photo travel weekend evening coffee music library"
)
WORDS = tuple(_WORD_TEXT.split())
BLOG_HOME = "https://bench.blogspot.com/"
BLOGGER_BLOG_ID = "4242424242"


def realistic_posts(count: int, seed: int = 7) -> list[BlogPost]:
    """``count`` posts with ~5 KB bodies, Blogger ids, labels and times (deterministic)."""
    rng = random.Random(seed)
    base = datetime(2015, 1, 1, tzinfo=UTC)
    posts = []
    for number in range(count):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(90, 130))).capitalize() + "."
            for _ in range(7)
        ]
        posts.append(
            BlogPost(
                url=f"https://bench.blogspot.com/{2015 + number % 10}/01/post-{number}.html",
                title=f"Post {number}: " + " ".join(rng.choice(WORDS) for _ in range(6)),
                body_paragraphs=paragraphs,
                comment_count=rng.randint(0, 40),
                blog_id=BLOGGER_BLOG_ID,
                post_id=str(10**15 + number),
                author="Bench Author",
                published=base + timedelta(hours=number),
                updated=base + timedelta(hours=number, minutes=5),
                labels=rng.sample(WORDS, 3),
                language="en",
                blog_url=BLOG_HOME,
                blog_title="Bench",
            )
        )
    return posts


def _plain_table() -> Table:
    """A copy of ``posts`` with the same columns, keys and indexes, under another name."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    cast("Table", Blog.__table__).to_metadata(metadata)  # so the copy's foreign key resolves
    table = cast("Table", Post.__table__).to_metadata(metadata, name="bench_plain_posts")
    for constraint in table.constraints:
        # PostgreSQL names a key's index after the constraint; copied names would collide.
        constraint.name = f"{constraint.name}_bench"
    return table


def _time(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def plain_rows(posts: Sequence[BlogPost], blog_id: int) -> list[dict[str, Any]]:
    """The row dicts the plain insert writes: what ``upsert_posts`` would write for new posts."""
    now = datetime.now(UTC)
    rows = []
    for number, post in enumerate(posts, 1):
        values = post_row(post, seen_at=now, parser_version="bench").values
        values["blog_id"] = blog_id
        values["change_seq"] = number  # upsert_posts numbers its changes; a plain insert can't
        rows.append(values)
    return rows


def _plain_insert(
    engine: Engine, target: Any, rows: Sequence[dict[str, Any]], batch_size: int
) -> None:
    """Execute ``target`` (a table's plain insert, or a ready statement) over ``rows``."""
    statement = target.insert() if isinstance(target, Table) else target
    for start in range(0, len(rows), batch_size):
        with engine.begin() as connection:
            connection.execute(statement, rows[start : start + batch_size])


def store_batches(posts: Sequence[BlogPost], batch_size: int) -> list[Batch]:
    """Fill batches of ``posts`` as the crawl's store stage does while records arrive."""
    batches = []
    for start in range(0, len(posts), batch_size):
        batch = Batch()
        for post in posts[start : start + batch_size]:
            batch.add_post(None, post)
            batch.size += 1
        batches.append(batch)
    return batches


def _store(factory: sessionmaker[Session], batches: Sequence[Batch]) -> None:
    """Write ``batches`` as the crawl's store stage does: one ``write_batch`` per transaction."""
    # The crawl confines a run to its own blogs.
    blogs: dict[int | None, frozenset[str]] = {None: frozenset({BLOG_HOME})}
    for batch in batches:
        with factory.begin() as session:
            write_batch(session, batch, parser_version="bench", blogs_of_run=blogs)


def _empty(engine: Engine, plain: Table) -> None:
    """Empty the timed tables, so that every repetition starts as on a fresh database."""
    tables = [cast("Table", PostRevision.__table__), cast("Table", Post.__table__), plain]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # DELETE would leave dead rows and index entries behind for the next repetition
            # to wade through; TRUNCATE leaves none (SQLite's unqualified DELETE does the same).
            names = ", ".join(table.name for table in tables)
            connection.exec_driver_sql(f"TRUNCATE {names} CASCADE")
            return
        for table in tables:
            connection.execute(table.delete())


def paired_ratios(
    engine: Engine,
    factory: sessionmaker[Session],
    plain: Table,
    rows: Sequence[dict[str, Any]],
    batches: Sequence[Batch],
    repeat: int,
    batch_size: int,
) -> dict[str, list[float]]:
    """Return, per run, the plain insert's time over each mode's, timed batch by batch.

    Each batch of the plain insert is timed right beside the same batch of the mode (which
    goes first alternates), on tables emptied before the run, so that load from other
    processes on a shared machine falls on both alike; whole-run timings taken seconds apart
    moved the ratio by 30 points and more. On SQLite, whose work is all in this process, the
    same ratio of process CPU time comes too (``"<mode> (CPU)"``): it does not move with the
    other processes' load. (On PostgreSQL the server's work is not in it, so it is left out.)
    """
    statement = posts_upsert_statement(engine.dialect.name)
    modes: dict[str, Callable[[int], None]] = {
        "upsert statement": lambda at: _plain_insert(
            engine, statement, rows[at : at + batch_size], batch_size
        ),
        "upsert new": lambda at: _store(factory, batches[at // batch_size : at // batch_size + 1]),
    }
    in_process = engine.dialect.name == "sqlite"
    ratios: dict[str, list[float]] = {}
    for _ in range(repeat):
        for mode, write in modes.items():
            _empty(engine, plain)
            spent = {"plain": 0.0, mode: 0.0}
            cpu = {"plain": 0.0, mode: 0.0}
            for number, at in enumerate(range(0, len(rows), batch_size)):
                batch = rows[at : at + batch_size]
                pair = [
                    ("plain", partial(_plain_insert, engine, plain, batch, batch_size)),
                    (mode, partial(write, at)),
                ]
                for name, action in pair if number % 2 == 0 else pair[::-1]:
                    cpu_before = time.process_time()
                    spent[name] += _time(action)
                    cpu[name] += time.process_time() - cpu_before
            ratios.setdefault(mode, []).append(spent["plain"] / spent[mode])
            if in_process:
                ratios.setdefault(f"{mode} (CPU)", []).append(cpu["plain"] / cpu[mode])
    return ratios


def measure(
    url: str, posts: list[BlogPost], repeat: int, batch_size: int
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Return rows/s per mode, and :func:`paired_ratios`, for the empty database at ``url``.

    The database is migrated here. Plain insert and upsert-new run ``repeat`` times each,
    alternating, on emptied tables; the best run counts (a shared machine only ever makes a
    run slower).
    """
    upgrade(url)
    engine = make_engine(url)
    table = _plain_table()
    table.create(engine)  # a benchmark-only table, outside the schema on purpose
    factory = make_session_factory(engine)
    with factory.begin() as session:
        upsert_blogs(session, [BlogInfo(url=BLOG_HOME, blog_id=BLOGGER_BLOG_ID)])
        blog_id = session.scalars(select(Blog.id)).one()
    edited = [
        BlogPost(**{**vars(p), "title": (p.title or "") + " (edited)"}) if i % 10 == 0 else p
        for i, p in enumerate(posts)
    ]
    rows = plain_rows(posts, blog_id)  # prebuilt: the plain insert times only the database
    batches = store_batches(posts, batch_size)  # filled as the store stage fills them
    edited_batches = store_batches(edited, batch_size)
    statement = posts_upsert_statement(engine.dialect.name)
    plain, upsert_only, new = [], [], []
    for _ in range(repeat):
        _empty(engine, table)
        plain.append(_time(lambda: _plain_insert(engine, table, rows, batch_size)))
        _empty(engine, table)
        upsert_only.append(_time(lambda: _plain_insert(engine, statement, rows, batch_size)))
        _empty(engine, table)
        new.append(_time(lambda: _store(factory, batches)))
    seconds = {
        "plain insert": min(plain),
        "upsert statement": min(upsert_only),
        "upsert new": min(new),
        "upsert same": _time(lambda: _store(factory, batches)),
        "upsert 10% changed": _time(lambda: _store(factory, edited_batches)),
        "row preparation alone": min(
            _time(lambda: store_batches(posts, batch_size)) for _ in range(repeat)
        ),
    }
    paired = paired_ratios(engine, factory, table, rows, batches, repeat, batch_size)
    engine.dispose()
    return {mode: len(posts) / spent for mode, spent in seconds.items()}, paired


def _report(name: str, url: str, rates: dict[str, float], paired: dict[str, list[float]]) -> None:
    plain = rates["plain insert"]
    print(f"\n{name} ({redact_url(url)})")
    for mode, rate in rates.items():
        print(f"  {mode:<22} {rate:>10,.0f} rows/s  ({rate / plain:6.1%} of plain insert)")
    print("  paired per batch with the plain insert (median of runs, and their range):")
    for mode, ratios in paired.items():
        print(
            f"  {mode:<22} {statistics.median(ratios):6.1%} of plain insert"
            f"  ({min(ratios):.1%} .. {max(ratios):.1%})"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N for insert/new (3)")
    parser.add_argument(
        "--batch",
        type=int,
        default=STORE_BATCH_SIZE,
        help=f"rows per transaction (the crawl's STORE_BATCH_SIZE, {STORE_BATCH_SIZE})",
    )
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    posts = realistic_posts(args.rows)
    size = sum(len("\n\n".join(p.body_paragraphs)) for p in posts) / len(posts)
    print(f"{args.rows} posts, mean body {size:,.0f} characters, batches of {args.batch}")
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
        _report("SQLite", sqlite_url, *measure(sqlite_url, posts, args.repeat, args.batch))
        pg_url = args.postgres
        if pg_url is None and not args.no_postgres:
            from tests.support.postgres import postgres_bin_dir, running_postgres

            if postgres_bin_dir() is None:
                print("\nPostgreSQL: skipped (no server binaries; pass --postgres URL)")
            else:
                pg_url = stack.enter_context(running_postgres())
        if pg_url is not None:
            _report("PostgreSQL", pg_url, *measure(pg_url, posts, args.repeat, args.batch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
