"""The wording lexicon engine: every lexicon term and variant in one Aho-Corasick automaton.

All lexicon checks of the ``wording`` family share one automaton (pyahocorasick), compiled
once per process on first use, and one scan per document (kept in ``doc.cache``):

* leader names (``leaders.tsv`` and the province add-on) and their variants
  (:mod:`.variants`: confusable substitutions, missing / extra / swapped characters);
* formulations (``formulations.tsv``): exact terms; variants of short terms; for terms of 6+
  characters, their two halves as anchors, verified with :func:`.variants.one_edit` (one edit
  in the other half), which keeps the automaton small;
* members of fixed enumerations, sovereignty terms (``sovereignty.tsv``) and the Xinhua list.

Matching runs on the *compact* view of the normalized text: the normalizer has already removed
zero-width characters and simplified traditional and look-alike characters; the compact view
also drops spaces and dots put between two Chinese characters (李　强, 习·近平), so a name
cannot be hidden by them.  Positions map back through :class:`CompactView` and the
normalizer's offset map to the original text.

Variants listed in ``lexicons/variant_stoplist.tsv`` (strings that occur in clean legal and
policy text, or are dictionary words or known names: built by
``corpora/build_variant_stoplist.py``) need leader context (an office title, 同志, a list of
leaders) to be reported; leader-name variants of 2 characters always need it.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
import threading
from collections.abc import Iterable

from ...errors import ResourceMissingError
from ...resources import cached_build, lexicon_dir, lexicon_path, read_tsv
from ...text.normalize import normalize
from .variants import edit_variants, one_edit

INDICATOR_WORDING = "单项否决·严重表述错误"

NAME, NAMEVAR, TERM, TERMVAR, ANCHOR, MEMBER, SOV, XINHUA, TITLE = range(9)
LONG_TERM = 6  # formulations of this many characters or more are matched by anchors

_LOCK = threading.Lock()
_HAN = "\u4e00-\u9fff"
_SEPARATORS = re.compile(rf"(?<=[{_HAN}])[ \t\u3000·•・‧.．_＊*]{{1,3}}(?=[{_HAN}])")

# Grace around a start or end date, by how exactly the date is known (date_basis).
GRACE_DAYS = {"day": 2, "session": 20, "month": 45}


# Office titles as written before a name (国务院总理李强) or after it (李强总理) -> offices they
# denote.  Only national offices whose holders are all listed; 副主席 alone is left out (vice
# chairs of the NPC and CPPCC are not listed), and so are local titles (书记, 村主任 ...).
TITLES_BEFORE: dict[str, tuple[str, ...]] = {
    "中共中央总书记": ("中共中央总书记",), "总书记": ("中共中央总书记",), "中共中央主席": ("中共中央主席",),
    "中华人民共和国主席": ("国家主席",), "国家主席": ("国家主席",),
    "国家副主席": ("国家副主席",),
    "国务院总理": ("国务院总理",), "总理": ("国务院总理",),
    "国务院副总理": ("国务院副总理",), "副总理": ("国务院副总理",),
    "国务委员": ("国务委员",),
    "全国人大常委会委员长": ("全国人大常委会委员长",), "委员长": ("全国人大常委会委员长",),
    "全国政协主席": ("全国政协主席",),
    "中央军委主席": ("中央军委主席",), "军委主席": ("中央军委主席",),
    "中央军委副主席": ("中央军委副主席",), "军委副主席": ("中央军委副主席",),
    "中央政治局常委": ("中央政治局常委",), "政治局常委": ("中央政治局常委",),
    "中央政治局委员": ("中央政治局委员", "中央政治局常委"), "政治局委员": ("中央政治局委员", "中央政治局常委"),
    "中央政治局候补委员": ("中央政治局候补委员",), "政治局候补委员": ("中央政治局候补委员",),
}
# Words after a name that make it a leader's without naming an office: context for leader-name
# variants only, not for office checks.  Each is tied to the leaders it follows (邓平理论 is
# 邓小平理论; 公平理论 is not anyone's); None = any leader (重要讲话, 以毛东为核心), and then only
# for variants that are not ordinary words (not stop-listed).
CONTEXT_AFTER: dict[str, frozenset[str] | None] = {
    "重要讲话": None, "重要指示": None, "重要论述": None, "重要思想": None, "为核心": None, "为主要代表": None,
    "文选": None, "著作": None, "军事思想": None, "新时期军队建设思想": None,
    "国防和军队建设思想": None,
    "理论": frozenset({"邓小平"}), "思想": frozenset({"毛泽东"}),
    "新时代": frozenset({"习近平"}), "经济思想": frozenset({"习近平"}), "外交思想": frozenset({"习近平"}),
    "强军思想": frozenset({"习近平"}), "法治思想": frozenset({"习近平"}), "生态文明思想": frozenset({"习近平"}),
    "文化思想": frozenset({"习近平"}),
}
# Titles before a name that make it a leader's although their holders are not all listed (so no
# office is judged from them): context for leader-name variants only (中央纪委书记李西 is 李希).
CONTEXT_BEFORE: tuple[str, ...] = ("中央纪委书记", "中纪委书记", "中央书记处书记", "中央书记处常务书记")
TITLES_AFTER: dict[str, tuple[str, ...]] = {
    "总书记": ("中共中央总书记",),
    "主席": ("国家主席", "中央军委主席", "全国政协主席", "中共中央主席"),
    "总理": ("国务院总理",),
    "副总理": ("国务院副总理",),
    "委员长": ("全国人大常委会委员长",),
    "国务委员": ("国务委员",),
}
PROVINCE_TITLES = {"guangdong": {"广东省委书记": ("广东省委书记",), "广东省省长": ("广东省省长",),
                                 "广东省长": ("广东省省长",)}}
# Words before a title that present the office as past: 时任国务院总理, 原国务院总理, 前国务院总理.
FORMER_MARKERS = ("时任", "原任", "原", "前任", "前", "已故", "首任", "曾任", "历任", "老", "卸任")


def title_before(text: str, pos: int, titles: dict[str, tuple[str, ...]]) -> tuple[str, int] | None:
    """The longest title ending at ``pos`` (a name starts there): (title, start) or None.
    A title that is the tail of a deputy's (委员长 of 全国人大常委会副委员长) is not it."""
    best = None
    for t in titles:
        if text.startswith(t, pos - len(t)) and pos - len(t) >= 0:
            if best is None or len(t) > len(best):
                best = t
    if best is None or text[pos - len(best) - 1:pos - len(best)] == "副":
        return None
    return best, pos - len(best)


def title_after(text: str, pos: int, titles: dict[str, tuple[str, ...]]) -> str | None:
    best = None
    for t in titles:
        if text.startswith(t, pos) and (best is None or len(t) > len(best)):
            best = t
    return best


# ------------------------------------------------------------------ compact view
@dataclasses.dataclass(frozen=True, slots=True)
class CompactView:
    """The normalized text without separators between two Chinese characters."""

    text: str
    segments: tuple[tuple[int, int], ...]  # (compact_start, norm_start) per kept run; () = identity
    _starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, norm: str, joins: Iterable[tuple[int, int]] = ()) -> "CompactView":
        """The view of ``norm``; ``joins`` are further spans of ``norm`` to drop (line breaks
        inside a name or formulation: :func:`_wrapped_breaks`)."""
        joins = sorted(joins)
        if not joins and not _SEPARATORS.search(norm):
            return cls(norm, ())
        cuts = sorted([(m.start(), m.end()) for m in _SEPARATORS.finditer(norm)] + joins)
        parts, segments, cpos, npos = [], [], 0, 0
        for start, end in cuts:
            if start < npos:
                continue
            chunk = norm[npos:start]
            segments.append((cpos, npos))
            parts.append(chunk)
            cpos += len(chunk)
            npos = end
        segments.append((cpos, npos))
        parts.append(norm[npos:])
        segs = tuple(segments)
        return cls("".join(parts), segs, tuple(s[0] for s in segs))

    def to_norm(self, pos: int) -> int:
        if not self.segments:
            return pos
        i = bisect.bisect_right(self._starts, pos) - 1
        cs, ns = self.segments[max(i, 0)]
        return ns + (pos - cs)

    def span_to_norm(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            p = self.to_norm(start)
            return p, p
        return self.to_norm(start), self.to_norm(end - 1) + 1


# ------------------------------------------------------------------ leaders
@dataclasses.dataclass(frozen=True, slots=True)
class Office:
    name: str
    office: str
    rank: int | None
    start: dt.date
    end: dt.date | None
    basis: str
    source: str

    def held(self, on: dt.date) -> bool | None:
        """True when held on ``on``; False when not; None when too close to a boundary to tell."""
        grace = dt.timedelta(days=GRACE_DAYS.get(self.basis, 45))
        if self.start + grace <= on and (self.end is None or on < self.end - grace):
            return True
        if on < self.start - grace or (self.end is not None and on >= self.end + grace):
            return False
        return None


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# The leader files record changes up to their "# data_until: YYYY-MM-DD" header line (the one
# place that says so).  National offices change at a Central Committee plenum or an NPC/CPPCC
# annual session; the next regular one after the data's last event (the 4th plenum, 2025-10-23)
# is the NPC session of early March 2026, about 120 days after 2025-10-31.  A text dated later
# than that may name appointments the data does not know: its office findings become advisories
# that say so (stale_note) instead of vetoes built on outdated facts.  Order findings stay vetoes:
# an order is fixed for a term, and a person the data does not rank is never judged.
STALE_AFTER_DAYS = 120
_DATA_UNTIL = re.compile(r"#\s*data_until:\s*(\d{4}-\d{2}-\d{2})")


def data_until(fname: str) -> dt.date:
    """The ``# data_until:`` date of a leader file's header; an error naming the file without one."""
    path = lexicon_path(fname)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            m = _DATA_UNTIL.match(line)
            if m:
                return dt.date.fromisoformat(m.group(1))
    raise ResourceMissingError(f"lexicon {path} has no '# data_until: YYYY-MM-DD' header line "
                               "(the last day whose changes it records)")


@dataclasses.dataclass
class Leaders:
    offices: dict[str, list[Office]]  # name -> offices
    data_until: dt.date = dt.date.max  # the last day whose changes the files record (the earliest of them)

    def stale_note(self, on: dt.date) -> str | None:
        """Why a finding judged at ``on`` rests on data that may be outdated, or None."""
        if on > self.data_until + dt.timedelta(days=STALE_AFTER_DAYS):
            return (f"人物职务数据截至 {self.data_until:%Y-%m}，{on.isoformat()} 时的任免可能未收录，"
                    "请人工核对后再定")
        return None

    def ended_by(self, name: str, offices: Iterable[str], day: dt.date) -> bool:
        """``name`` held one of ``offices`` and left it by ``day`` (a fact later data cannot undo)."""
        wanted = set(offices)
        return any(o.office in wanted and o.end is not None and o.end <= day for o in self.offices.get(name, ()))

    def holds(self, name: str, offices: Iterable[str], on: dt.date) -> bool | None:
        """Does ``name`` hold one of ``offices`` on ``on``? None: cannot tell (near a boundary)."""
        wanted = set(offices)
        results = [o.held(on) for o in self.offices.get(name, ()) if o.office in wanted]
        if any(r is True for r in results):
            return True
        if any(r is None for r in results):
            return None
        return False

    def held_ever(self, name: str, offices: Iterable[str], on: dt.date) -> bool:
        wanted = set(offices)
        return any(o.office in wanted and o.start <= on for o in self.offices.get(name, ()))

    def rank(self, name: str, office: str, on: dt.date) -> int | None:
        for o in self.offices.get(name, ()):
            if o.office == office and o.held(on) and o.rank is not None:
                return o.rank
        return None

    def current(self, name: str, on: dt.date) -> list[Office]:
        return [o for o in self.offices.get(name, ()) if o.held(on)]


# ------------------------------------------------------------------ formulations
@dataclasses.dataclass(frozen=True, slots=True)
class Formulation:
    term: str
    kind: str  # term | enumeration | sequence
    members: tuple[str, ...]
    start: dt.date
    end: dt.date | None
    near_match: bool
    source: str

    def in_force(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


# ------------------------------------------------------------------ the lexicon
@dataclasses.dataclass
class WordingLexicon:
    leaders: Leaders
    formulations: list[Formulation]
    sovereignty: list[dict[str, str]]
    xinhua: list[dict[str, str]]
    stoplist: frozenset[str]
    automaton: object
    province: str
    # variants reported only with leader context (2-character names, stop-listed strings): kept out
    # of the automaton (many are common bigrams) and looked up at context positions only
    context_variants: dict[str, tuple[str, str]] = dataclasses.field(default_factory=dict)
    short_member_sets: list[tuple[str, "re.Pattern"]] = dataclasses.field(default_factory=list)
    # every two adjacent characters of a key or a context-only variant: a line break whose two
    # sides are not one of them lies inside none of them (:func:`_wrapped_breaks`)
    bigrams: frozenset[str] = frozenset()
    # every two adjacent characters of a formulation matched by anchors: a break beside one of them
    # may lie inside a near-match of it (人类命运共\n铜体)
    term_bigrams: frozenset[str] = frozenset()

    def scan(self, text: str) -> list[tuple[int, int, tuple]]:
        """(start, end, payload) of every automaton hit in ``text`` (compact positions).

        The automaton is built over UTF-8 bytes (seen as latin-1 characters): pyahocorasick
        searches a node's children linearly, and a root with thousands of Chinese characters as
        children made it ten times slower than over bytes (at most 256 children, few used).
        UTF-8 is self-synchronizing, so a key can only match at a character boundary."""
        raw = text.encode("utf-8")
        to_char = _ByteToChar(text, raw)
        out = []
        for end_idx, (length, nbytes, payloads) in self.automaton.iter(raw.decode("latin-1")):
            start = to_char(end_idx - nbytes + 1)
            for p in payloads:
                out.append((start, start + length, p))
        return out


class _ByteToChar:
    """Byte offset -> character offset in ``text``, through checkpoints every STEP characters."""

    STEP = 512

    def __init__(self, text: str, raw: bytes):
        self.raw = raw
        self.identity = len(raw) == len(text)
        if not self.identity:
            offsets, b = [], 0
            for i in range(0, len(text), self.STEP):
                offsets.append(b)
                b += len(text[i:i + self.STEP].encode("utf-8"))
            self.offsets = offsets

    def __call__(self, b: int) -> int:
        if self.identity:
            return b
        k = bisect.bisect_right(self.offsets, b) - 1
        return k * self.STEP + len(self.raw[self.offsets[k]:b].decode("utf-8"))


def _compact_key(s: str) -> str:
    return _SEPARATORS.sub("", s)


def load_leaders(province: str | None) -> Leaders:
    offices: dict[str, list[Office]] = {}
    files = ["leaders.tsv"] + ([f"leaders_{province}.tsv"] if province else [])
    for fname in files:
        for row in read_tsv(fname):
            o = Office(row["name"], row["office"], int(row["rank"]) if row.get("rank") else None,
                       _date(row["start"]), _date(row["end"]), row["date_basis"], row["source"])
            offices.setdefault(_compact_key(o.name), []).append(o)
    return Leaders(offices, min(data_until(f) for f in files))


def load_formulations() -> list[Formulation]:
    out = []
    for row in read_tsv("formulations.tsv"):
        members = tuple(m for m in row["members"].split("|") if m)
        out.append(Formulation(row["term"], row["kind"], members, _date(row["start"]), _date(row["end"]),
                               row["near_match"] == "yes", row["source"]))
    return out


def load_stoplist() -> frozenset[str]:
    return frozenset(row["variant"] for row in read_tsv("variant_stoplist.tsv"))


@functools.lru_cache(maxsize=4)
def get_lexicon(province: str | None = "guangdong") -> WordingLexicon:
    """The lexicon and its automaton, built once per process (and per province), and cached
    on disk keyed by the lexicons' and the builders' content (``resources.cached_build``)."""
    from pathlib import Path

    from ...text import normalize as normalize_module
    from . import variants

    require_lexicons()
    files = tuple(sorted(p.name for p in lexicon_dir().glob("*.tsv")))
    code = (__file__, variants.__file__, normalize_module.__file__)
    return cached_build(f"wording-lexicon-{province or 'none'}", lambda: _build_lexicon(province),
                        lexicons=files, code=tuple(str(Path(c)) for c in code))


def _build_lexicon(province: str | None) -> WordingLexicon:
    import ahocorasick

    with _LOCK:
        leaders = load_leaders(province)
        formulations = load_formulations()
        sovereignty = list(read_tsv("sovereignty.tsv"))
        xinhua = list(read_tsv("xinhua_banned.tsv"))
        stoplist = load_stoplist()
        keys: dict[str, list[tuple]] = {}

        def add(key: str, payload: tuple) -> None:
            # keys are matched against normalized text: normalize them the same way (王丙乾 -> 王丙干)
            key = normalize(key).text
            bucket = keys.setdefault(key, [])
            if payload not in bucket:
                bucket.append(payload)

        names = set(leaders.offices)
        for name in names:
            add(name, (NAME, name))
        terms = {f.term for f in formulations}
        normalized_names = {normalize(n).text for n in names}
        context_variants: dict[str, tuple[str, str]] = {}
        for name in sorted(names):
            for variant, edit in edit_variants(name):
                if variant in names or variant in terms or name in variant:
                    continue
                key = normalize(variant).text
                if key in normalized_names:
                    continue
                if len(name) <= 2 or len(key) <= 2 or key in stoplist:
                    # 2-character strings (李墙, and 回玉 for 回良玉 in 天回玉垒) are everywhere
                    context_variants.setdefault(key, (name, edit))
                else:
                    add(variant, (NAMEVAR, name, edit))
        titles = set(TITLES_BEFORE) | set(TITLES_AFTER) | {t for d in PROVINCE_TITLES.values() for t in d} | {"同志"}
        titles |= set(CONTEXT_BEFORE)
        titles |= {t for t, owners in CONTEXT_AFTER.items() if owners is None}
        # a leader's own phrase after a context-only variant (邓平理论, 习平新时代): one key each,
        # rather than matching 理论 and 思想 everywhere
        for phrase, owners in CONTEXT_AFTER.items():
            if owners is None:
                continue
            for key, (name, edit) in context_variants.items():
                if name in owners:
                    add(key + phrase, (NAMEVAR, name, edit, len(key)))
        for t in titles:
            add(t, (TITLE, t))
        short_sets = []
        for f in formulations:
            add(f.term, (TERM, f.term))
            if f.members and min(map(len, f.members)) <= 2 and f.term not in {t for t, _ in short_sets}:
                # 富强、民主 …: common words, found by one regex over 、-separated runs instead
                alt = "|".join(map(re.escape, sorted(f.members, key=len, reverse=True)))
                short_sets.append((f.term, re.compile(rf"(?:{alt})(?:[、，,](?:{alt})){{3,}}")))
            elif f.members and min(map(len, f.members)) > 2:
                for i, m in enumerate(f.members):
                    add(m, (MEMBER, f.term, i))
            if not f.near_match:
                continue
            if len(f.term) >= LONG_TERM:
                # one edit leaves one half intact, except a swap across the middle: listed as is
                h = len(f.term) // 2
                add(f.term[:h], (ANCHOR, f.term, 0))
                add(f.term[h:], (ANCHOR, f.term, 1))
                add(f.term[:h - 1] + f.term[h] + f.term[h - 1] + f.term[h + 1:], (TERMVAR, f.term, "swap"))
            else:
                counted = f.kind == "enumeration"
                for variant, edit in edit_variants(f.term, count_word=counted):
                    if variant not in terms and variant not in names and f.term not in variant:
                        add(variant, (TERMVAR, f.term, edit))
        for row in sovereignty:
            add(_compact_key(row["term"]), (SOV, row["term"]))
        for row in xinhua:
            add(_compact_key(row["term"]), (XINHUA, row["term"]))
        automaton = ahocorasick.Automaton()
        for key, payloads in keys.items():
            raw = key.encode("utf-8")
            automaton.add_word(raw.decode("latin-1"), (len(key), len(raw), tuple(payloads)))
        automaton.make_automaton()
        bigrams = frozenset(k[i:i + 2] for k in (*keys, *context_variants) for i in range(len(k) - 1))
        return WordingLexicon(leaders, formulations, sovereignty, xinhua, stoplist, automaton, province or "",
                              context_variants, short_sets, bigrams,
                              frozenset(f.term[i:i + 2] for f in formulations
                                        if f.near_match and len(f.term) >= LONG_TERM for i in range(len(f.term) - 1)))


# ------------------------------------------------------------------ per-document scan
@dataclasses.dataclass
class Scan:
    view: CompactView
    hits: list[tuple[int, int, tuple]]
    lexicon: WordingLexicon

    @property
    def text(self) -> str:
        return self.view.text

    def of_kind(self, *kinds: int) -> list[tuple[int, int, tuple]]:
        return [h for h in self.hits if h[2][0] in kinds]


def scan_document(doc, province: str | None = "guangdong") -> Scan:
    """The automaton's hits for ``doc`` (cached in ``doc.cache``: every wording check shares them)."""
    key = f"wording.scan:{province}"
    cached = doc.cache.get(key)
    if cached is None:
        lexicon = get_lexicon(province)
        view = CompactView.of(doc.norm.text)
        hits = lexicon.scan(view.text)
        joins = _wrapped_breaks(view, lexicon)
        if joins:
            view = CompactView.of(doc.norm.text, joins)
            hits = lexicon.scan(view.text)
        cached = Scan(view, hits, lexicon)
        doc.cache[key] = cached
    return cached


# One line break between two Chinese characters (hard-wrapped text: PDF lines, a <br> in a CMS
# body, a draft wrapped by hand), with the spaces around it and a hyphen a layout put before it.
WRAP_WINDOW = 16
_BREAK = re.compile(rf"(?<=[{_HAN}])[ \t\u3000]*[-‐‑]?[ \t\u3000]*(?:\r\n|\r|\n)[ \t\u3000]*(?=[{_HAN}])")


_NEWLINE = re.compile(r"\r\n|\r|\n")
_PAD = " \t\u3000"


def _line_breaks(text: str) -> Iterable[tuple[int, int]]:
    """What :data:`_BREAK` matches, found from each newline outwards (a regex that starts with a
    look-behind tries every position of the text: slower than the automaton's scan)."""
    n = len(text)
    for m in _NEWLINE.finditer(text):
        a, b = m.start(), m.end()
        while a > 0 and text[a - 1] in _PAD:
            a -= 1
        if a > 0 and text[a - 1] in "-‐‑":
            a -= 1
            while a > 0 and text[a - 1] in _PAD:
                a -= 1
        while b < n and text[b] in _PAD:
            b += 1
        if a > 0 and b < n and "\u4e00" <= text[a - 1] <= "\u9fff" and "\u4e00" <= text[b] <= "\u9fff":
            yield a, b


def _wrapped_breaks(view: CompactView, lexicon: WordingLexicon) -> list[tuple[int, int]]:
    """Spans of the normalized text holding a single line break that falls inside a lexicon key
    (a leader's name or its variant, a formulation or its near-match, a title, a member, a
    sovereignty term: 习近\n平, 习进\n平, 人类命运共\n铜体) once the breaks are taken out.
    Only those breaks are joined: every other line keeps its end, so headings, rolls of names one
    per line and table rows are read as before and no clause runs into the next paragraph."""
    text = view.text
    pairs, term_pairs = lexicon.bigrams, lexicon.term_bigrams
    # only breaks whose two sides are adjacent characters of some key can lie inside one, or
    # (a near-match of a long formulation, whose wrong character may sit beside the break) whose
    # two characters before or after it are adjacent in such a formulation
    breaks = [(a, b) for a, b in _line_breaks(text)
              if text[a - 1] + text[b] in pairs or text[a - 2:a] in term_pairs or text[b:b + 2] in term_pairs]
    if not breaks:
        return []
    parts, marks, pos, removed = [], [], 0, 0  # marks: joined position where each break was
    for a, b in breaks:
        parts.append(text[pos:a])
        removed += b - a
        marks.append(b - removed)
        pos = b
    parts.append(text[pos:])
    joined = "".join(parts)
    crossed: set[int] = set()

    def cross(a: int, b: int) -> None:
        lo = bisect.bisect_right(marks, a)
        while lo < len(marks) and marks[lo] < b:
            crossed.add(lo)
            lo += 1

    # only the text around each break is scanned again (a second scan of the whole text tripled
    # the cost of hard-wrapped documents): windows of WRAP_WINDOW characters either side, merged,
    # separated by a character no key holds; a key up to that long crossing a break lies inside one
    windows: list[tuple[int, int]] = []
    for k in marks:
        a, b = max(0, k - WRAP_WINDOW), min(len(joined), k + WRAP_WINDOW)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    pieces, starts, pos = [], [], 0
    for a, b in windows:
        starts.append((pos, a))
        pieces.append(joined[a:b])
        pos += b - a + 1
    window_text = "\x00".join(pieces)
    offsets = [w for w, _ in starts]
    hits = []
    for s, e, p in lexicon.scan(window_text):
        w, a = starts[bisect.bisect_right(offsets, s) - 1]
        hits.append((s - w + a, e - w + a, p))
    for s, e, p in hits:
        kind = p[0]
        if kind == XINHUA:
            continue
        if kind == ANCHOR:  # the other half verified by one edit, as wording.formulation does
            term = p[1]
            if p[2] == 0:
                r = one_edit(term, joined, s, known=e - s, fuzzy=True)
                if r is not None or joined.startswith(term, s):
                    cross(s, s + len(term) + 1 if r is None else r[0])
            else:
                lo = max(0, e - len(term) - 1)
                r = one_edit(term[::-1], joined[lo:e][::-1], 0, known=e - s, fuzzy=True)
                if r is not None or joined.endswith(term, 0, e):
                    cross(e - (len(term) if r is None else r[0]), e)
            continue
        cross(s, e)
    # 2-character and stop-listed variants are looked up next to leader context, not in the
    # automaton: a break inside one of them (李\n墙 after 国务院总理) is joined too
    variants = lexicon.context_variants
    for i, k in enumerate(marks):
        if i in crossed or joined[k - 1:k + 1] not in lexicon.bigrams:
            continue
        if any(joined[a:b] in variants for a in range(k - 3, k) for b in range(k + 1, k + 4) if a >= 0 and 2 <= b - a <= 4):
            crossed.add(i)
    out = []
    for i in sorted(crossed):
        a, b = breaks[i]
        start = view.to_norm(a)
        out.append((start, start + b - a))
    return out


def require_lexicons() -> None:
    """Raise ResourceMissingError naming any missing wording lexicon."""
    for name in ("leaders.tsv", "formulations.tsv", "sovereignty.tsv", "xinhua_banned.tsv",
                 "events.tsv", "confusion_chars.tsv", "variant_stoplist.tsv"):
        lexicon_path(name)


__all__ = [
    "ANCHOR", "CompactView", "Formulation", "INDICATOR_WORDING", "Leaders", "MEMBER", "NAME", "NAMEVAR",
    "Office", "ResourceMissingError", "SOV", "Scan", "TERM", "TERMVAR", "WordingLexicon", "XINHUA",
    "get_lexicon", "one_edit", "scan_document",
]
