"""Account posts of the demo province, one JSON object a line (the schema of issue 6).

``{"account_id", "account_name", "platform", "published_at", "title", "url",
"content_html" | "content_text", "kind"}``; times are ISO 8601 with ``+08:00``.
An account's ``profile`` (see ``registry.py``) decides what is planted: silent accounts
post nothing in the two weeks before the time point (one of them posts nothing at all),
``pii_leak`` publishes a 公示名单 with unmasked ID and phone numbers, ``chat_news`` sends
news as chat messages, ``bare_links`` posts bodies that are only a hyperlink, ``renamed``
shows a different name on the platform than the registry has.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import random
from typing import Iterator

from corpora.demo import text as T
from corpora.demo.sites import AS_OF

_KIND = {"微信订阅号": "article", "微信服务号": "article", "南方号": "article", "今日头条": "article",
         "新浪微博": "image", "抖音短视频": "video", "快手": "video"}


def _stamp(d: dt.date, rng: random.Random) -> str:
    return f"{d:%Y-%m-%d}T{rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}:00+08:00"


def _url(acc, rng: random.Random) -> str:
    token = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(22))
    if acc.platform.startswith("微信"):
        return f"https://mp.weixin.qq.com/s/{token}"
    return (acc.url or "https://www.gd.gov.cn/") + f"#post-{token[:10]}"


def _post(acc, rng: random.Random, d: dt.date, title: str, paras: list[str], kind: str | None = None,
          table: list[list[str]] | None = None) -> dict:
    kind = kind or _KIND[acc.platform]
    rec = {"account_id": acc.code, "account_name": acc.observed_name or acc.name, "platform": acc.platform,
           "published_at": _stamp(d, rng), "title": title, "url": _url(acc, rng), "kind": kind}
    if kind in ("article", "message") and acc.platform in ("微信订阅号", "微信服务号", "南方号", "今日头条"):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        if table:
            body += "<table>" + "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table) + "</table>"
        rec["content_html"] = body
    else:
        text = "\n".join(paras)
        if table:
            text += "\n" + "\n".join("　".join(row) for row in table)
        rec["content_text"] = text
    return rec


def _ordinary(acc, rng: random.Random, d: dt.date, leader: bool = False) -> dict:
    unit = acc.sponsor
    topic = rng.choice(T.TOPICS)
    title = rng.choice(T.NEWS_TITLES).format(unit=unit, topic=topic)
    return _post(acc, rng, d, title, T.paragraphs(rng, unit, topic, 2, leader="习近平" if leader else None))


def _gongshi(acc, rng: random.Random, d: dt.date, masked: bool) -> dict:
    rows = [["序号", "姓名", "身份证号码", "联系电话", "面积（平方米）"]]
    for i in range(1, 7):
        name, rid, phone = T.synthetic_name(rng), T.synthetic_resident_id(rng, acc.code[:4] + "02"), T.synthetic_mobile(rng)
        if masked:
            name, rid, phone = T.mask_name(name), T.mask_id(rid), T.mask_mobile(phone)
        rows.append([str(i), name, rid, phone, str(rng.randint(60, 180))])
    title = "关于2022年第二批农村宅基地使用权确权登记结果的公示"
    paras = ["根据有关规定，现将2022年第二批农村宅基地使用权确权登记结果予以公示，公示期为7天。",
             f"如对公示内容有异议，请在公示期内向{acc.sponsor}反映。"]
    return _post(acc, rng, d, title, paras, kind="article", table=rows)


def account_posts(acc, seed: int, as_of: dt.date = AS_OF) -> Iterator[dict]:
    """The posts of one account; every date is relative to ``as_of`` (the time point)."""
    rng = random.Random(f"{seed}:{acc.code}")
    profile = acc.profile
    old = [as_of - dt.timedelta(days=rng.randint(35, 80)), as_of - dt.timedelta(days=rng.randint(18, 34))]
    if profile == "silent":
        if acc.code.endswith("M025NF0001"):
            return  # 广东国资: no post at all in the snapshot
        last = as_of - dt.timedelta(days=15) if acc.code.endswith("M020XL0001") \
            else as_of - dt.timedelta(days=rng.randint(16, 60))
        for d in sorted({last - dt.timedelta(days=rng.randint(10, 30)), last}):
            yield _ordinary(acc, rng, d)
        return
    if profile == "edge_14_days":
        last = as_of - dt.timedelta(days=14)  # exactly two weeks before the time point: updated
    else:
        last = as_of - dt.timedelta(days=rng.randint(0, 12))
    dates = sorted({*old, last})
    for d in dates:
        yield _ordinary(acc, rng, d, leader=profile == "correct_names" or rng.random() < 0.05)
    if profile == "pii_leak":
        yield _gongshi(acc, rng, as_of - dt.timedelta(days=10), masked=False)
    elif profile == "masked_list":
        yield _gongshi(acc, rng, as_of - dt.timedelta(days=9), masked=True)
    elif profile == "chat_news":
        for d in (as_of - dt.timedelta(days=30), as_of - dt.timedelta(days=5)):
            topic = rng.choice(T.TOPICS)
            yield _post(acc, rng, d, f"{acc.sponsor}开展{topic}对接交流活动",
                        T.paragraphs(rng, acc.sponsor, topic, 4), kind="message")
    elif profile == "bare_links":
        for d in (as_of - dt.timedelta(days=20), as_of - dt.timedelta(days=3)):
            link = _url(acc, rng)
            rec = _post(acc, rng, d, "信访工作动态", [])
            rec["content_html"] = f'<p><a href="{link}">{link}</a></p>'
            yield rec
    elif profile == "healthy" and rng.random() < 0.02:
        # published after the time point: ignored by the check
        yield _ordinary(acc, rng, as_of + dt.timedelta(days=rng.randint(1, 5)))


def write_posts(accounts, seed: int, path, as_of: dt.date = AS_OF) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for acc in accounts:
            for rec in account_posts(acc, seed, as_of):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    return n
