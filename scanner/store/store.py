"""Scan results by quarter, in SQLite (default, one file, WAL) or PostgreSQL, through one API.

Writing a quarter's results::

    store = open_store("out/demo/govscan.db")          # or "postgresql://user@host/db"
    run = store.begin_scan("2022Q2", "sites", registry_entries, as_of=date(2022, 6, 20))
    for entry in registry_entries:
        if entry.code in run.done:                      # saved before an interruption
            continue
        run.save([scan_one(entry)])                     # committed at once
    run.finish()                                        # replaces the quarter's results atomically

``finish`` deletes the previous complete scan of that quarter and kind and marks this one
complete in one transaction, so a report never sees half of a re-scan.  An interrupted scan
stays ``running``; ``begin_scan`` with the same registry and time point resumes it.
Rectification items (one per failing unit and problem, with a deadline) are opened when a
quarter's scan finishes, and closed (rectified) or left open by a later scan whose time
point is past their deadline; a unit gone from that scan's registry (a site closed or merged,
an account deregistered) while the registry still lists its region is ``delisted``: not
unrectified, and checked again should it come back.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import and_, create_engine, delete, event, func, insert, inspect, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, OperationalError

from ..errors import GovscanError
from . import schema as S
from .schema import SCHEMA_VERSION

KINDS = ("sites", "accounts")
_PG_WRITE_LOCK = 0x676F7673  # "govs": the PostgreSQL advisory lock every write of a store takes


class StoreError(GovscanError):
    """The store cannot be used: says which store and why (in Chinese)."""


class StoreLockedError(StoreError):
    """Another process holds the store's write lock."""


class StoreSchemaError(StoreError):
    """The store was written by a newer govscan, or is not a govscan store."""


# --- quarters -----------------------------------------------------------------------------

def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def parse_quarter(quarter: str) -> tuple[int, int]:
    q = quarter.strip().upper()
    if len(q) != 6 or q[4] != "Q" or not q[:4].isdigit() or q[5] not in "1234":
        raise StoreError(f"季度“{quarter}”格式不正确，应为 2022Q2 这样的形式")
    return int(q[:4]), int(q[5])


def quarter_start(quarter: str) -> dt.date:
    year, q = parse_quarter(quarter)
    return dt.date(year, 3 * q - 2, 1)


def quarter_label(quarter: str) -> str:
    year, q = parse_quarter(quarter)
    return f"{year}年第{'一二三四'[q - 1]}季度"


def default_deadline(quarter: str) -> dt.date:
    """The 20th of the month after the quarter (the 2022Q2 notice asks for reports by 7月20日)."""
    year, q = parse_quarter(quarter)
    month = 3 * q + 1
    return dt.date(year + (month > 12), (month - 1) % 12 + 1, 20)


RECTIFY_DAYS = 30  # the notice: sampling up to 6月20日, rectification reported by 7月20日


def rectification_deadline(quarter: str, as_of: dt.date) -> dt.date:
    """The deadline of a quarter's rectification items: the 20th of the month after the quarter
    (the 2022Q2 notice: 7月20日), or ``RECTIFY_DAYS`` after the inspection's time point when that
    is later, the notice's own interval (its sampling ended 6月20日).  A late inspection (a Q2
    scan run on 25 July) got 7月20日, a deadline before the inspection itself, its items overdue
    at once; it gets 8月24日."""
    return max(default_deadline(quarter), as_of + dt.timedelta(days=RECTIFY_DAYS))


def deadline_rule_zh() -> str:
    """The deadline rule in the inspector's words (the rectification report)."""
    return (f"整改期限按季度结束后次月20日计；检查时间点距该日不足{RECTIFY_DAYS}天（或已过）的，按检查时间点后"
            f"{RECTIFY_DAYS}天计（通报：采样至6月20日，7月20日前报送整改情况）")


def deadline_note_zh(quarter: str, as_of: dt.date) -> str:
    """整改期限：2022年8月24日（…）, saying which branch of the rule gave it (the scan summary)."""
    first, deadline = default_deadline(quarter), rectification_deadline(quarter, as_of)
    why = ("季度结束后次月20日" if deadline == first else
           f"检查时间点后{RECTIFY_DAYS}天：季度结束后次月20日即{first.month}月{first.day}日距检查时间点不足{RECTIFY_DAYS}天")
    return f"整改期限：{deadline.year}年{deadline.month}月{deadline.day}日（{why}）"


# --- records ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Unit:
    """One registry row as the store keeps it."""

    code: str
    region: str
    name: str
    sponsor: str = ""  # 主办单位
    platform: str = ""  # 账号类型 (accounts)
    host: str = ""
    url: str = ""
    line: int | None = None
    extra: dict[str, str] = dataclasses.field(default_factory=dict)


_ALIASES = {
    "code": ("code", "网站标识码", "新媒体标识码"),
    "region": ("region", "地区"),
    "name": ("name", "网站名称", "新媒体名称"),
    "sponsor": ("sponsor", "主办单位"),
    "platform": ("platform", "账号类型"),
    "host": ("host",),
    "url": ("url", "网站地址", "账号地址"),
    "line": ("line",),
    "extra": ("extra",),
}


def as_unit(obj: Any) -> Unit:
    """A Unit from a registry entry (dataclass), a registry CSV row or a scan record."""
    if isinstance(obj, Unit):
        return obj
    data = obj if isinstance(obj, dict) else (obj.to_dict() if hasattr(obj, "to_dict") else vars(obj))
    values: dict[str, Any] = {}
    for field, keys in _ALIASES.items():
        for key in keys:
            if data.get(key) not in (None, ""):
                values[field] = data[key]
                break
    return Unit(code=str(values.get("code", "")), region=str(values.get("region", "")),
                name=str(values.get("name", "")), sponsor=str(values.get("sponsor", "")),
                platform=str(values.get("platform", "")), host=str(values.get("host", "")),
                url=str(values.get("url", "")), line=values.get("line"), extra=dict(values.get("extra") or {}))


@dataclasses.dataclass(frozen=True)
class UnitResult:
    """A registry unit with its verdict; ``verdict`` is None when the unit was not inspected."""

    unit: Unit
    seq: int
    verdict: str | None
    problems: list[str]
    findings: list[dict]
    record: dict | None

    @property
    def inspected(self) -> bool:
        return self.verdict is not None

    @property
    def failed(self) -> bool:
        return self.verdict == "fail"


@dataclasses.dataclass(frozen=True)
class QuarterResults:
    quarter: str
    kind: str
    as_of: dt.date
    since: dt.date
    finished_at: str
    units: list[UnitResult]
    summary: dict


@dataclasses.dataclass(frozen=True)
class Rectification:
    quarter: str
    kind: str
    code: str
    problem: str
    region: str
    name: str
    deadline: dt.date
    status: str  # open | rectified | delisted (the unit is gone from the checking scan's registry)
    checked_quarter: str | None
    checked_as_of: dt.date | None
    rectified_on: dt.date | None

    @property
    def overdue(self) -> bool:
        """Still open after a check past its deadline."""
        return self.status == "open" and self.checked_as_of is not None and self.checked_as_of > self.deadline

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        for k in ("deadline", "checked_as_of", "rectified_on"):
            d[k] = d[k].isoformat() if d[k] else None
        d["overdue"] = self.overdue
        return d


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _digest(units: list[Unit], inputs: str = "") -> str:
    payload = json.dumps([[u.code, u.region, u.name, u.sponsor, u.platform, u.host] for u in units],
                         ensure_ascii=False)
    if inputs:  # what the units are judged from (snapshot, posts file, probe log, configuration)
        payload += "\n" + inputs
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check_units(units: list[Unit], kind: str, regions: Iterable[str] | None) -> None:
    """Duplicate codes, empty required fields and unknown regions, with registry line numbers."""
    problems = []
    seen: dict[str, int] = {}
    allowed = list(regions) if regions is not None else None
    for i, u in enumerate(units, start=1):
        where = f"第{u.line}行" if u.line else f"第{i}条"
        missing = [label for label, value in (("标识码", u.code), ("地区", u.region), ("名称", u.name)) if not value]
        if missing:
            problems.append(f"{where}缺少{'、'.join(missing)}")
            continue
        if u.code in seen:
            problems.append(f"{where}标识码“{u.code}”与{seen[u.code]}重复")
        else:
            seen[u.code] = where  # type: ignore[assignment]
        if allowed is not None and u.region not in allowed:
            problems.append(f"{where}地区“{u.region}”不在地区列表中（{'、'.join(allowed)}）")
    if problems:
        raise StoreError(f"{'网站' if kind == 'sites' else '新媒体'}名单有误：" + "；".join(problems))


def _identities(kind: str, unit: Unit) -> list[tuple]:
    """What names a unit apart from its 标识码, to follow it across a change of code (a site
    re-coded after 集约化, an account re-filed): a website's address as the registry compares two
    (host and path, the scheme, ``index.html`` and a trailing slash left aside); an account's
    账号地址, then its name, 账号类型 and 主办单位 together."""
    if kind == "sites":
        url = unit.url or unit.host
        if not url:
            return []
        from ..site.registry import host_of, site_address

        host = unit.host or host_of(url)
        return [("address", site_address(url, host))] if host else []
    keys: list[tuple] = [("url", unit.url.strip())] if unit.url.strip() else []
    if unit.name and unit.platform:
        keys.append(("name", unit.name, unit.platform, unit.sponsor))
    return keys


def renumbered(kind: str, before: Iterable[Unit], after: Iterable[Unit]) -> dict[str, str]:
    """The units of an earlier registry (``before``) found in a later one (``after``) under another
    code: {old code: new code}.  Only codes the other registry lacks are matched, and only by a key
    (``_identities``) that one unit holds on each side: a site whose 网站标识码 changed, at the
    same address, is the same site (its problems were read as 不在名录 and 新发现, and its overdue
    rectification was no longer counted)."""
    before, after = list(before), list(after)
    old_codes, new_codes = {u.code for u in before}, {u.code for u in after}
    gone = [u for u in before if u.code not in new_codes]
    came = [u for u in after if u.code not in old_codes]
    if not gone or not came:
        return {}
    holders_new: dict[tuple, list[str]] = {}
    holders_old: dict[tuple, list[str]] = {}
    for units, holders in ((came, holders_new), (gone, holders_old)):
        for u in units:
            for key in _identities(kind, u):
                holders.setdefault(key, []).append(u.code)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for u in gone:
        for key in _identities(kind, u):
            new = holders_new.get(key, [])
            if len(new) == 1 and len(holders_old[key]) == 1 and new[0] not in taken:
                out[u.code] = new[0]
                taken.add(new[0])
                break
    return out


# --- the store ----------------------------------------------------------------------------

def normalize_url(target: str | os.PathLike) -> tuple[str, str]:
    """(SQLAlchemy URL, backend) for a path or a URL."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1], "postgresql"
    if text.startswith("postgresql+"):
        return text, "postgresql"
    if text.startswith("sqlite:"):
        return text, "sqlite"
    if "://" in text:
        raise StoreError(f"不支持的存储地址“{text}”（支持 SQLite 文件路径或 postgresql://）")
    path = Path(text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"存储 {text} 无法创建：{exc.strerror or exc}（{exc.filename or path.parent}）") from None
    return f"sqlite:///{path}", "sqlite"


def open_store(target: str | os.PathLike, *, busy_timeout: float = 5.0) -> "Store":
    return Store(target, busy_timeout=busy_timeout)


class Store:
    """The quarterly results store.  Constructing it checks the schema version first."""

    def __init__(self, target: str | os.PathLike, *, busy_timeout: float = 5.0):
        self.target = str(target)
        url, self.backend = normalize_url(target)
        self.display = self.target if self.backend == "sqlite" else url.split("@")[-1]
        if self.backend == "sqlite":
            if Path(self.target).is_dir():  # it read "无法使用：unable to open database file"
                raise StoreError(f"存储 {self.display} 是一个文件夹：--store 应为 SQLite 文件（例如 "
                                 f"{Path(self.target) / 'govscan.db'}）或 postgresql:// 地址")
            self.engine: Engine = create_engine(url, connect_args={"timeout": busy_timeout})
            timeout_ms = int(busy_timeout * 1000)

            @event.listens_for(self.engine, "connect")
            def _connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
                dbapi_conn.isolation_level = None  # BEGIN is ours (below)
                cur = dbapi_conn.cursor()
                cur.execute(f"PRAGMA busy_timeout={timeout_ms}")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn):  # pragma: no cover
                write = conn.get_execution_options().get("govscan_write")
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
        else:
            try:
                import psycopg  # noqa: F401
            except ImportError:
                raise StoreError("使用 PostgreSQL 需要安装 psycopg：pip install 'govscan[postgres]'") from None
            self.engine = create_engine(url, pool_pre_ping=True)
        self.busy_timeout = busy_timeout
        self._init()

    # connections ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            msg = " ".join(str(exc.orig if exc.orig is not None else exc).split())  # one line (libpq adds hints on new lines)
            if "locked" in msg or "busy" in msg or "lock timeout" in msg:
                raise StoreLockedError(
                    f"存储 {self.display} 正被其他进程锁定（等待 {self.busy_timeout:g} 秒后仍无法写入），"
                    "未写入任何数据；请等其他扫描结束后重试") from None
            raise StoreError(f"存储 {self.display} 无法使用：{msg}") from None
        except DatabaseError as exc:
            msg = " ".join(str(exc.orig if exc.orig is not None else exc).split())  # one line (libpq adds hints on new lines)
            raise StoreError(f"存储 {self.display} 无法读取：{msg}（不是 govscan 的存储文件？）") from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._guard(), self.engine.connect() as conn:
            conn = conn.execution_options(govscan_write=True)
            with conn.begin():
                if self.backend == "postgresql":
                    # one writer at a time, as SQLite's BEGIN IMMEDIATE makes it: two scans of a
                    # quarter finishing together each saw no complete scan to replace and both were
                    # published (the report then took either); waits busy_timeout, then one line
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{max(int(self.busy_timeout * 1000), 1)}ms'")
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")
                yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._guard(), self.engine.connect() as conn:
            if self.backend == "postgresql":
                # one snapshot for the whole read, as SQLite's WAL gives: at READ COMMITTED a rescan
                # published between load's two queries left the replaced scan's units gone and the
                # report showed an empty quarter (a report must never see half a re-scan)
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # schema --------------------------------------------------------------------------------
    def schema_version(self) -> int | None:
        with self._read() as conn:
            names = set(inspect(conn).get_table_names())
            if S.meta.name not in names:
                return None
            value = conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).scalar()
            return int(value) if value is not None else None

    def _init(self) -> None:
        with self._read() as conn:
            names = set(inspect(conn).get_table_names())
            version = None
            if S.meta.name in names:
                value = conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).scalar()
                version = int(value) if value is not None else None
        if version is not None and version > SCHEMA_VERSION:
            raise StoreSchemaError(
                f"存储 {self.display} 的结构版本为 {version}，高于本程序支持的 {SCHEMA_VERSION}："
                "它由更新版本的 govscan 写入，未做任何改动；请升级 govscan 后再用")
        if version is None and names - {t.name for t in S.metadata.sorted_tables}:
            raise StoreSchemaError(f"存储 {self.display} 不是 govscan 的存储（含有其他表：{'、'.join(sorted(names))}），未做任何改动")
        if self.backend == "sqlite":
            with self._guard():
                raw = self.engine.raw_connection()
                try:
                    cur = raw.cursor()
                    mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                    cur.close()
                finally:
                    raw.close()
                if str(mode).lower() != "wal" and self.target != ":memory:":
                    raise StoreError(f"存储 {self.display} 无法切换到 WAL 模式（{mode}）")
        if version is None:
            with self._write() as conn:
                S.metadata.create_all(conn)
                conn.execute(insert(S.meta), [{"key": "schema_version", "value": str(SCHEMA_VERSION)},
                                              {"key": "created_at", "value": _now()}])

    # writing -------------------------------------------------------------------------------
    def begin_scan(self, quarter: str, kind: str, registry: Iterable[Any], *, as_of: dt.date,
                   since: dt.date | None = None, regions: Iterable[str] | None = None,
                   inputs: str = "") -> "ScanRun":
        """Start (or resume) the scan of ``kind`` for ``quarter`` over the registry units.

        A running scan of the same quarter and kind with the same registry, time point and
        ``inputs`` (a description of what the units are judged from: the snapshot or posts file
        as it is now, the configuration) is resumed: ``run.done`` holds the codes already saved.
        Any other running scan of that quarter and kind is abandoned (deleted; ``run.abandoned``
        counts them).  The complete scan, if any, stays visible to reports until ``finish``.
        """
        parse_quarter(quarter)
        if kind not in KINDS:
            raise StoreError(f"未知的结果类型“{kind}”（应为 sites 或 accounts）")
        units = [as_unit(u) for u in registry]
        _check_units(units, kind, regions)
        since = since or quarter_start(quarter_of(as_of))
        digest = _digest(units, inputs)
        with self._write() as conn:
            rows = conn.execute(select(S.scans).where(and_(S.scans.c.quarter == quarter, S.scans.c.kind == kind,
                                                           S.scans.c.status == "running"))).mappings().all()
            for row in rows:
                if (row["registry_digest"], row["as_of"], row["since"]) == (digest, as_of.isoformat(), since.isoformat()):
                    done = set(conn.execute(select(S.results.c.code).where(S.results.c.scan_id == row["id"])).scalars())
                    return ScanRun(self, row["id"], quarter, kind, as_of, since, done, resumed=True)
            for row in rows:
                self._delete_scan(conn, row["id"])
            abandoned = len(rows)
            scan_id = conn.execute(insert(S.scans).values(
                quarter=quarter, kind=kind, status="running", as_of=as_of.isoformat(), since=since.isoformat(),
                registry_digest=digest, started_at=_now())).inserted_primary_key[0]
            if units:  # an empty list was an INSERT of NULLs: "NOT NULL constraint failed", read as a foreign store
                conn.execute(insert(S.units), [
                    {"scan_id": scan_id, "code": u.code, "seq": i, "line": u.line, "region": u.region, "name": u.name,
                     "sponsor": u.sponsor, "platform": u.platform, "host": u.host, "url": u.url,
                     "extra": json.dumps(u.extra, ensure_ascii=False) if u.extra else None}
                    for i, u in enumerate(units)])
        run = ScanRun(self, scan_id, quarter, kind, as_of, since, set(), resumed=False)
        run.abandoned = abandoned
        return run

    @staticmethod
    def _delete_scan(conn: Connection, scan_id: int) -> None:
        conn.execute(delete(S.results).where(S.results.c.scan_id == scan_id))
        conn.execute(delete(S.units).where(S.units.c.scan_id == scan_id))
        conn.execute(delete(S.scans).where(S.scans.c.id == scan_id))

    def save_unit_results(self, quarter: str, kind: str, records: Iterable[dict], *, as_of: dt.date,
                          registry: Iterable[Any] | None = None, since: dt.date | None = None,
                          deadline: dt.date | None = None, summary: dict | None = None) -> int:
        """Save a whole quarter's results at once (begin, save, finish); returns the scan id.

        Without ``registry`` the units are taken from the records themselves (code, region,
        name, host, sponsor, platform), in their order.
        """
        records = list(records)
        run = self.begin_scan(quarter, kind, registry if registry is not None else records, as_of=as_of, since=since)
        run.save([r for r in records if r["code"] not in run.done])
        run.finish(deadline=deadline, summary=summary)
        return run.id

    # reading -------------------------------------------------------------------------------
    def quarters(self, kind: str | None = None) -> list[str]:
        with self._read() as conn:
            q = select(S.scans.c.quarter).where(S.scans.c.status == "complete").distinct()
            if kind:
                q = q.where(S.scans.c.kind == kind)
            return sorted(conn.execute(q).scalars())

    def running(self) -> list[dict]:
        """Interrupted or in-progress scans: quarter, kind, units saved and total."""
        with self._read() as conn:
            rows = conn.execute(select(S.scans).where(S.scans.c.status == "running")).mappings().all()
            out = []
            for row in rows:
                saved = conn.execute(select(func.count()).where(S.results.c.scan_id == row["id"])).scalar()
                total = conn.execute(select(func.count()).where(S.units.c.scan_id == row["id"])).scalar()
                out.append({"quarter": row["quarter"], "kind": row["kind"], "as_of": row["as_of"],
                            "saved": saved, "total": total})
            return out

    def load(self, quarter: str, kind: str) -> QuarterResults | None:
        """The complete scan of ``kind`` for ``quarter`` with every registry unit, in registry order."""
        parse_quarter(quarter)
        with self._read() as conn:
            scan = conn.execute(select(S.scans).where(and_(S.scans.c.quarter == quarter, S.scans.c.kind == kind,
                                                           S.scans.c.status == "complete"))).mappings().first()
            if scan is None:
                return None
            j = S.units.outerjoin(S.results, and_(S.results.c.scan_id == S.units.c.scan_id,
                                                  S.results.c.code == S.units.c.code))
            rows = conn.execute(select(S.units, S.results.c.verdict, S.results.c.problems, S.results.c.findings,
                                       S.results.c.record).select_from(j)
                                .where(S.units.c.scan_id == scan["id"]).order_by(S.units.c.seq)).mappings().all()
        out = []
        for r in rows:
            unit = Unit(code=r["code"], region=r["region"], name=r["name"], sponsor=r["sponsor"] or "",
                        platform=r["platform"] or "", host=r["host"] or "", url=r["url"] or "", line=r["line"],
                        extra=json.loads(r["extra"]) if r["extra"] else {})
            out.append(UnitResult(unit, r["seq"], r["verdict"], json.loads(r["problems"]) if r["problems"] else [],
                                  json.loads(r["findings"]) if r["findings"] else [],
                                  json.loads(r["record"]) if r["record"] else None))
        return QuarterResults(quarter, kind, dt.date.fromisoformat(scan["as_of"]), dt.date.fromisoformat(scan["since"]),
                              scan["finished_at"], out, json.loads(scan["summary"]) if scan["summary"] else {})

    @staticmethod
    def _units(conn: Connection, scan_id: int) -> list[Unit]:
        """A scan's registry units (no results), in registry order."""
        rows = conn.execute(select(S.units).where(S.units.c.scan_id == scan_id).order_by(S.units.c.seq)).mappings()
        return [Unit(code=r["code"], region=r["region"], name=r["name"], sponsor=r["sponsor"] or "",
                     platform=r["platform"] or "", host=r["host"] or "", url=r["url"] or "", line=r["line"])
                for r in rows]

    def rectifications(self, quarter: str | None = None, kind: str | None = None) -> list[Rectification]:
        with self._read() as conn:
            q = select(S.rectifications)
            if quarter:
                q = q.where(S.rectifications.c.quarter == quarter)
            if kind:
                q = q.where(S.rectifications.c.kind == kind)
            rows = conn.execute(q.order_by(S.rectifications.c.quarter, S.rectifications.c.kind,
                                           S.rectifications.c.id)).mappings().all()
        return [Rectification(r["quarter"], r["kind"], r["code"], r["problem"], r["region"], r["name"],
                              dt.date.fromisoformat(r["deadline"]), r["status"], r["checked_quarter"],
                              _date(r["checked_as_of"]), _date(r["rectified_on"])) for r in rows]

    def set_rectification(self, quarter: str, kind: str, code: str, *, status: str | None = None,
                          deadline: dt.date | None = None, problem: str | None = None) -> int:
        """Set the status or deadline of a unit's items by hand; returns how many changed."""
        if status not in (None, "open", "rectified"):
            raise StoreError(f"整改状态“{status}”无效（open 或 rectified）")
        values: dict[str, Any] = {}
        if status:
            values["status"] = status
        if deadline:
            values["deadline"] = deadline.isoformat()
        if not values:
            return 0
        cond = and_(S.rectifications.c.quarter == quarter, S.rectifications.c.kind == kind,
                    S.rectifications.c.code == code)
        if problem:
            cond = and_(cond, S.rectifications.c.problem == problem)
        with self._write() as conn:
            return conn.execute(update(S.rectifications).where(cond).values(**values)).rowcount


class ScanRun:
    """A scan in progress: ``save`` commits results as they come; ``finish`` publishes them."""

    def __init__(self, store: Store, scan_id: int, quarter: str, kind: str, as_of: dt.date, since: dt.date,
                 done: set[str], resumed: bool):
        self.store, self.id, self.quarter, self.kind = store, scan_id, quarter, kind
        self.as_of, self.since, self.done, self.resumed = as_of, since, done, resumed
        self.abandoned = 0  # interrupted scans of the quarter begun with other units, time point or inputs
        self.unjudged: list[str] = []  # after finish: units the replaced results had judged and this scan did not

    def save(self, records: Iterable[dict]) -> int:
        """Save (or replace) the results of some units, in one transaction."""
        rows = []
        for rec in records:
            code = rec.get("code")
            verdict = rec.get("verdict")
            if verdict not in ("pass", "fail"):
                raise StoreError(f"单位 {code} 的结论“{verdict}”无效（应为 pass 或 fail）")
            rows.append({"scan_id": self.id, "code": code, "verdict": verdict,
                         "problems": json.dumps(list(rec.get("problems") or []), ensure_ascii=False),
                         "findings": json.dumps(list(rec.get("findings") or []), ensure_ascii=False, default=str),
                         "record": json.dumps(rec, ensure_ascii=False, default=str), "saved_at": _now()})
        if not rows:
            return 0
        codes = [r["code"] for r in rows]
        with self.store._write() as conn:
            status = conn.execute(select(S.scans.c.status).where(S.scans.c.id == self.id)).scalar()
            if status != "running":
                raise StoreError(f"扫描 {self.quarter} {self.kind} 已结束或已被另一次扫描取代，不能再写入")
            known = set(conn.execute(select(S.units.c.code).where(and_(S.units.c.scan_id == self.id,
                                                                         S.units.c.code.in_(codes)))).scalars())
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise StoreError(f"结果中的标识码不在本次扫描的名单中：{'、'.join(map(str, unknown[:10]))}")
            conn.execute(delete(S.results).where(and_(S.results.c.scan_id == self.id, S.results.c.code.in_(codes))))
            conn.execute(insert(S.results), rows)
        self.done.update(codes)
        return len(rows)

    def abandon(self) -> None:
        """Delete this scan (running, nothing to publish): the store is left as it was."""
        with self.store._write() as conn:
            status = conn.execute(select(S.scans.c.status).where(S.scans.c.id == self.id)).scalar()
            if status == "running":
                Store._delete_scan(conn, self.id)

    def saved_records(self) -> Iterator[dict]:
        """The records this scan saved so far (a resumed scan's earlier part), in registry order."""
        j = S.results.join(S.units, and_(S.units.c.scan_id == S.results.c.scan_id, S.units.c.code == S.results.c.code))
        with self.store._read() as conn:
            rows = conn.execute(select(S.results.c.record).select_from(j).where(S.results.c.scan_id == self.id)
                                .order_by(S.units.c.seq)).scalars().all()
        for raw in rows:
            yield json.loads(raw)

    def finish(self, *, deadline: dt.date | None = None, summary: dict | None = None) -> list[str]:
        """Publish this scan as the quarter's results, replacing the previous ones atomically;
        returns the codes of the replaced results' units that this scan's registry lacks (their
        results are gone from the quarter: a scan of one region's registry replaces the whole
        quarter's, so the caller says so).

        Opens a rectification item (deadline: ``deadline`` or ``rectification_deadline``: the
        20th of the month after the quarter, 30 days after a late inspection) for each problem of each failing unit, and checks open items of earlier
        quarters whose deadline this scan's time point has passed: a problem gone from a
        re-inspected unit is marked rectified; one still present stays open (overdue); a unit
        missing from this scan's registry, whose region the registry lists, is marked delisted.
        """
        deadline = deadline or rectification_deadline(self.quarter, self.as_of)
        if deadline < self.as_of:
            raise StoreError(f"整改期限 {deadline} 早于检查时间点 {self.as_of}")
        with self.store._write() as conn:
            status = conn.execute(select(S.scans.c.status).where(S.scans.c.id == self.id)).scalar()
            if status != "running":
                raise StoreError(f"扫描 {self.quarter} {self.kind} 已结束或已被另一次扫描取代")
            old = conn.execute(select(S.scans.c.id).where(and_(
                S.scans.c.quarter == self.quarter, S.scans.c.kind == self.kind,
                S.scans.c.status == "complete"))).scalars().all()
            dropped: list[str] = []
            if old:
                current = set(conn.execute(select(S.units.c.code).where(S.units.c.scan_id == self.id)).scalars())
                previous = conn.execute(select(S.units.c.code).where(S.units.c.scan_id.in_(old))
                                        .order_by(S.units.c.seq)).scalars().all()
                dropped = list(dict.fromkeys(c for c in previous if c not in current))
                # units judged before and in this registry too, but not judged this time (a partial
                # recrawl): their earlier results go with the replaced scan, so the caller says so
                judged_now = set(conn.execute(select(S.results.c.code).where(S.results.c.scan_id == self.id)).scalars())
                judged_before = conn.execute(select(S.results.c.code).where(S.results.c.scan_id.in_(old))).scalars().all()
                self.unjudged = [c for c in dict.fromkeys(previous)
                                 if c in current and c not in judged_now and c in set(judged_before)]
            for scan_id in old:
                Store._delete_scan(conn, scan_id)
            conn.execute(update(S.scans).where(S.scans.c.id == self.id).values(
                status="complete", finished_at=_now(),
                summary=json.dumps(summary, ensure_ascii=False) if summary else None))
            self._update_rectifications(conn, deadline)
        return dropped

    def _update_rectifications(self, conn: Connection, deadline: dt.date) -> None:
        R = S.rectifications
        rows = conn.execute(select(S.units.c.code, S.units.c.region, S.units.c.name, S.results.c.verdict,
                                   S.results.c.problems)
                            .select_from(S.units.join(S.results, and_(S.results.c.scan_id == S.units.c.scan_id,
                                                                      S.results.c.code == S.units.c.code)))
                            .where(S.units.c.scan_id == self.id)).mappings().all()
        current: dict[str, set[str]] = {r["code"]: set(json.loads(r["problems"])) if r["verdict"] == "fail" else set()
                                        for r in rows}
        # this quarter's items: exactly the failing problems of this scan
        found = {(r["code"], p): r for r in rows if r["verdict"] == "fail" for p in json.loads(r["problems"])}
        existing = {(e["code"], e["problem"]): e for e in conn.execute(
            select(R).where(and_(R.c.quarter == self.quarter, R.c.kind == self.kind))).mappings()}
        for key, e in existing.items():
            if key not in found:
                conn.execute(delete(R).where(R.c.id == e["id"]))
        new = [{"quarter": self.quarter, "kind": self.kind, "code": code, "problem": problem, "region": r["region"],
                "name": r["name"], "deadline": deadline.isoformat(), "status": "open"}
               for (code, problem), r in found.items() if (code, problem) not in existing]
        if new:
            conn.execute(insert(R), new)
        # earlier quarters' items that the replaced scan of this quarter checked are checked again
        # by this one (a rescan finding the problem still there left it rectified on the
        # replaced results); a status set by hand (rectified without a scan's date) is kept
        conn.execute(update(R).where(and_(
            R.c.kind == self.kind, R.c.quarter < self.quarter, R.c.checked_quarter == self.quarter,
            or_(R.c.status.in_(("open", "delisted")), R.c.rectified_on == R.c.checked_as_of))).values(
            status="open", checked_quarter=None, checked_as_of=None, rectified_on=None))
        # this scan's registry: a unit missing from it whose region it still lists was closed, merged
        # or deregistered (its items stayed 未整改 for ever); a region it does not list at all (one
        # region's registry scanned) says nothing about that region's units
        listed = self.store._units(conn, self.id)
        registered = {u.code for u in listed}
        regions = {u.region for u in listed}
        # earlier quarters' open (or delisted) items whose deadline has passed at this scan's time point
        due = conn.execute(select(R).where(and_(R.c.kind == self.kind, R.c.quarter < self.quarter,
                                                R.c.status.in_(("open", "delisted")),
                                                R.c.deadline < self.as_of.isoformat()))).mappings().all()
        # a unit this registry lists under another code (a site re-coded at the same address) is the
        # same unit: checked on its new code's result (it was delisted, its overdue item uncounted)
        successors: dict[str, dict[str, str]] = {}
        for quarter in sorted({e["quarter"] for e in due if e["code"] not in registered}):
            earlier = conn.execute(select(S.scans.c.id).where(and_(
                S.scans.c.quarter == quarter, S.scans.c.kind == self.kind, S.scans.c.status == "complete"))).scalar()
            if earlier is not None:
                successors[quarter] = renumbered(self.kind, self.store._units(conn, earlier), listed)
        checked = {"checked_quarter": self.quarter, "checked_as_of": self.as_of.isoformat(), "rectified_on": None}
        for e in due:
            code = e["code"] if e["code"] in registered else successors.get(e["quarter"], {}).get(e["code"], e["code"])
            if code in current:  # re-inspected (a delisted unit back in the registry too)
                values = {**checked, "status": "open"}
                if e["problem"] not in current[code]:
                    values.update(status="rectified", rectified_on=self.as_of.isoformat())
            elif code not in registered and e["region"] in regions:
                values = {**checked, "status": "delisted"}
            elif e["status"] == "delisted" and code in registered:
                # back in the registry but not judged this time: open again, not checked
                values = {"status": "open", "checked_quarter": None, "checked_as_of": None, "rectified_on": None}
            else:
                continue  # not re-inspected
            conn.execute(update(R).where(R.c.id == e["id"]).values(**values))
