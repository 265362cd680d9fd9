"""The FastAPI app: the review page, the review API and the privacy API.

One ``Reviewer`` (``scanner.pipeline``) is built per process and shared by all requests;
reviews run one at a time in a worker thread, so the event loop stays free (health
checks answer while a long draft is reviewed).  ``POST /api/review`` returns exactly
``Review.to_dict()``: the JSON of ``govscan review --format json`` for one input.

Security (issue 8): the request body is capped (10 MB by default, ``[web] max_upload_mb``);
uploads are typed by content and must agree with their extension; uploads are kept in
memory and anything written for the privacy endpoints goes into a per-request temporary
directory removed before the response is sent; neither text nor file names are logged;
an API token is required when binding to a non-loopback address; CORS is off unless
origins are configured.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..checks.excerpt import mask_text
from ..errors import ConfigError, GovscanError
from ..extract.reasons import explain
from ..settings import Settings, today_beijing
from ..text.decode import looks_binary
from ..types import Skipped, Source
from . import privacy
from .security import BodySizeLimit, is_loopback, token_ok
from .uploads import (MASK_KINDS, PRIVACY_KINDS, REVIEW_KINDS, PastedDraft, UploadRejected, charset_param, decode_body,
                      form_draft, read_upload)

log = logging.getLogger("scanner.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_MAX_UPLOAD_MB = 10
DEFAULT_QUEUE_TIMEOUT_S = 30
T = TypeVar("T")

# The page loads nothing from elsewhere; the OpenAPI pages (/docs) need their inline script.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclasses.dataclass
class WebConfig:
    """Everything the app needs; built by ``govscan serve`` from its options and the settings."""

    settings: Settings
    host: str = "127.0.0.1"
    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_UPLOAD_MB * 2**20
    fixed_as_of: bool = False  # True when --as-of was given; otherwise the date follows the clock
    workdir: Path | None = None  # parent of the per-request temporary directories (default: system temp)
    policy: Any = None  # privacy policy (scanner.privacy.policy.Policy) for review, audit and mask; None: packaged
    warm_up: bool = True  # review a short text at start-up, so the first editor does not wait for loading
    queue_timeout_s: float = DEFAULT_QUEUE_TIMEOUT_S  # how long a request waits for the one reviewer: then 503 busy

    @classmethod
    def from_settings(cls, settings: Settings, *, host: str = "127.0.0.1", token: str | None = None,
                      cors_origins: tuple[str, ...] | list[str] = (), max_upload_mb: float | None = None,
                      fixed_as_of: bool = False, policy: Any = None) -> "WebConfig":
        web = settings.section("web")
        mb = max_upload_mb if max_upload_mb is not None else web.get("max_upload_mb", DEFAULT_MAX_UPLOAD_MB)
        if not mb or mb <= 0:
            raise ConfigError(f"web upload limit must be a positive number of MB, got {mb}")
        origins = tuple(cors_origins) or tuple(web.get("cors_origins", ()))
        wait = web.get("queue_timeout_s", DEFAULT_QUEUE_TIMEOUT_S)
        if not wait or wait <= 0:
            raise ConfigError(f"web queue_timeout_s must be a positive number of seconds, got {wait}")
        return cls(settings=settings, host=host, token=token or None, cors_origins=origins,
                   max_body_bytes=int(mb * 2**20), fixed_as_of=fixed_as_of, policy=policy, queue_timeout_s=float(wait))

    def validate(self) -> None:
        if not is_loopback(self.host) and not self.token:
            raise ConfigError(
                f"binding to {self.host} (not a loopback address) requires an API token: "
                "pass --token or set GOVSCAN_WEB_TOKEN"
            )
        for origin in self.cors_origins:  # "*" allows any origin
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ConfigError(f"CORS origin '{origin}' must start with http:// or https://")


class ReviewRequest(BaseModel):
    """A draft pasted as text.  ``name`` becomes the review's ``source`` (default "-",
    as ``govscan review -`` names standard input)."""

    text: str = Field(description="The draft text; finding offsets are code points into it.")
    name: str = Field("-", max_length=200, description="How the draft is named in the result.")
    format: Literal["txt", "html"] = Field(
        "txt", description="\"html\": the text is HTML (a CMS's rich-text body), reviewed as an uploaded .html "
                           "is; offsets then refer to the extracted text (`?show_text=true` returns it).")
    published: dt.date | None = Field(
        None, strict=True, description="The draft's publication date, YYYY-MM-DD: the date rules (leaders' offices, anniversaries, "
                          "congress numbers) are judged at it, `date_basis` \"published\" (as an HTML page's PubDate). "
                          "Send the `date` of a page's review whose `date_basis` was \"published\" when sending its text "
                          "back after an edit: the extracted text no longer holds the page's date.")


class Busy(UploadRejected):
    """503: the one reviewer stayed busy for the whole queue timeout; ``Retry-After`` says when to retry."""

    def __init__(self, waited: float):
        super().__init__(503, "busy", f"审查服务繁忙（已排队 {waited:g} 秒），请稍后重试")
        self.headers = {"Retry-After": "10"}


class ReviewService:
    """The one Reviewer of this process, and a lock so reviews run one at a time."""

    def __init__(self, config: WebConfig, reviewer=None):
        if reviewer is not None and getattr(reviewer, "policy", None) is not config.policy:
            raise ValueError("the reviewer must be built with the web config's privacy policy")
        self.config = config
        self._reviewer = reviewer
        self._lock = threading.Lock()

    @property
    def reviewer(self):
        if self._reviewer is None:
            from ..pipeline import Reviewer

            self._reviewer = Reviewer(self.config.settings, policy=self.config.policy)
        return self._reviewer

    def warm_up(self) -> None:
        """Load lexicons, tokenizers and models now, not on the first editor's request."""
        self.run(lambda r: r.review_text("国务院办公厅关于进一步加强政府网站内容建设的通知。联系电话：12345。"))
        if privacy.available() and self.config.policy is None:
            privacy.default_policy()

    def run(self, work: Callable[[Any], T]) -> T:
        """Run ``work(reviewer)`` alone.  An unexpected error is logged by type and place only
        (its message may quote the draft) and becomes a generic 500.  A request that waits
        longer than the queue timeout for the reviewer gets 503 ``busy`` (a CMS retries)."""
        if not self._lock.acquire(timeout=self.config.queue_timeout_s):
            raise Busy(self.config.queue_timeout_s)
        try:
            try:
                reviewer = self.reviewer
                if not self.config.fixed_as_of:
                    today = today_beijing()
                    if reviewer.settings.as_of != today:
                        reviewer.settings.as_of = today
                return work(reviewer)
            except (UploadRejected, privacy.PrivacyFailed):  # (a mask refused was a 500 "PrivacyFailed")
                raise
            except GovscanError as exc:
                log.error("review failed: %s", exc)  # resource/config errors name files, not text
                raise UploadRejected(500, "internal_error", f"审查服务不可用：{exc}") from None
            except Exception as exc:
                log.error("internal error %s at %s", type(exc).__name__, _where(exc))
                raise UploadRejected(500, "internal_error",
                                     f"服务器内部错误（{type(exc).__name__}），请联系管理员") from None
        finally:
            self._lock.release()

    @property
    def check_codes(self) -> list[str]:
        return [check.CODE for check in self.reviewer.checks]

    @property
    def domains(self) -> list[str]:
        """The wording model's domain word lists a request may name (none when the model is off)."""
        check = _classifier(self.reviewer)
        if check is None:
            return []
        from ..model.runtime import load_detector

        try:
            return sorted(load_detector(check.MODEL).domains)
        except GovscanError:  # the review reports a missing model; health stays up
            return []


class SecurityHeaders:
    """nosniff and no-referrer everywhere; a strict CSP on the page and its assets."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        strict = not (path.startswith("/docs") or path.startswith("/static-docs"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                headers.append((b"cache-control", b"no-store"))
                if strict:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cpu_timed(work: Callable[[Any], T]) -> Callable[[Any], tuple[T, float, float]]:
    """``work`` returning also the CPU time it took in its thread and the part of it spent in
    the wording model (onnxruntime), in ms (CPU time grows less than wall-clock time with
    other load)."""
    from ..model.runtime import inference_time

    def timed(reviewer):
        c0, m0 = time.thread_time(), inference_time()[0]
        result = work(reviewer)
        return result, 1000 * (time.thread_time() - c0), 1000 * (inference_time()[0] - m0)
    return timed


def _classifier(reviewer):
    """The reviewer's wording.classifier check (the wording model), None when it is off."""
    return next((c for c in reviewer.checks if c.CODE == "wording.classifier"), None)


def _with_domains(domains: list[str], work: Callable[[Any], T]) -> Callable[[Any], T]:
    """``work`` run with the wording model's domain word lists ``domains`` added, for this one
    request, to those the server was started with (``govscan serve --domain``).  The check's
    setting is restored afterwards; ``ReviewService.run`` holds the lock all the while."""
    if not domains:
        return work

    def with_domains(reviewer):
        check = _classifier(reviewer)
        if check is None:
            raise UploadRejected(400, "invalid_domain", "此服务未启用措辞模型（--no-model），不能指定 domain")
        from ..model.runtime import load_detector

        known = sorted(load_detector(check.MODEL).domains)
        for d in domains:
            if d not in known:
                raise UploadRejected(400, "invalid_domain",
                                     f"domain {d[:40]}：措辞模型没有该领域词表；可用：{'、'.join(known) or '无'}")
        saved = check.DOMAINS
        check.DOMAINS = tuple(dict.fromkeys((*(saved or ()), *domains)))
        try:
            return work(reviewer)
        finally:
            check.DOMAINS = saved

    return with_domains


_JSON_PROBLEMS = {
    "missing": "缺少该字段", "string_type": "应为字符串", "literal_error": "只能是 txt 或 html",
    "model_type": "应为 JSON 对象", "json_invalid": "不是合法的 JSON", "string_too_long": "过长",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 日期", "date_parsing": "应为 YYYY-MM-DD 日期",
    "date_type": "应为 YYYY-MM-DD 日期", "date_from_datetime_inexact": "应为 YYYY-MM-DD 日期",
}


def _json_problems(exc: ValidationError) -> str:
    """What is wrong with a review request, field by field, never quoting its values: the
    detail named the field alone (出错的字段：name) and a CMS could not tell what to change."""
    out = []
    for e in exc.errors():
        field = ".".join(str(p) for p in e["loc"]) or "请求体"
        why = _JSON_PROBLEMS.get(e["type"], "不正确")
        if e["type"] == "string_too_long":
            why += f"（最多 {e.get('ctx', {}).get('max_length')} 个字符）"
        out.append(f"{field}：{why}")
    return "；".join(out)


_HTTP_DETAILS = {
    (404, "Not Found"): "没有这个地址（API 见 /docs）",
    (405, "Method Not Allowed"): "该地址不接受这种请求方法（API 见 /docs）",
}
# a query parameter's problem (?show_text=maybe): pydantic's message was shown in English
_PARAM_PROBLEMS = {"bool_parsing": "应为 true 或 false", "bool_type": "应为 true 或 false", "missing": "缺少该参数",
                   "string_type": "应为字符串", "list_type": "应为列表", "date_from_datetime_parsing": "应为 YYYY-MM-DD 日期",
                   "date_parsing": "应为 YYYY-MM-DD 日期", "date_from_datetime_inexact": "应为 YYYY-MM-DD 日期",
                   "date_type": "应为 YYYY-MM-DD 日期"}


def _too_long_detail(too_long) -> str:
    """A draft over the length limit, told to the editor (the CLI's reason goes on about the
    --config file's [review] max_chars, in English at its end): as the page itself says it."""
    return f"稿件 {too_long.length:,} 字，超过单篇审查上限 {too_long.limit:,} 字：请分篇审查"


def _where(exc: BaseException) -> str:
    """file:line where an exception arose (never its message)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"


def _error(status: int, error: str, detail: str, headers: dict | None = None, reason_code: str | None = None) -> JSONResponse:
    body = {"error": error, "detail": detail, **({"reason_code": reason_code} if reason_code else {})}
    return JSONResponse(body, status_code=status, headers=headers)


def create_app(config: WebConfig, reviewer=None) -> FastAPI:
    """The FastAPI app.  ``reviewer`` may be given (tests, ``govscan serve`` after warm-up);
    otherwise one is built and warmed up at start-up."""
    from fastapi_offline import FastAPIOffline

    config.validate()
    service = ReviewService(config, reviewer)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if config.warm_up:
            await run_in_threadpool(service.warm_up)
        yield

    app = FastAPIOffline(
        title="govscan",
        version=__version__,
        description="政府网站与政务新媒体内容合规检查：发布前审查页面与 HTTP API。",
        docs_url="/docs",
        redoc_url=None,
        static_url="/static-docs",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.config = config

    if config.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-Govscan-Token", "Content-Type"],
        )
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(SecurityHeaders)

    # ------------------------------------------------------------ errors: one line, no input echoed
    @app.exception_handler(UploadRejected)
    async def _rejected(request: Request, exc: UploadRejected):
        # a detail may name the upload, and a file name may hold an ID (张三110105….docx)
        return _error(exc.status, exc.error, mask_text(exc.detail), getattr(exc, "headers", None), exc.reason_code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        error = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        detail = _HTTP_DETAILS.get((exc.status_code, str(exc.detail)), str(exc.detail))  # starlette's own are English
        return _error(exc.status_code, error, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        where = "；".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or e.get('loc', ('?',))[0]}："
                         f"{_PARAM_PROBLEMS.get(e.get('type', ''), '取值不正确')}" for e in exc.errors())
        return _error(422, "invalid_request", f"请求参数不正确：{where}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # The exception's message may quote the input: log only its type and where it arose.
        log.error("internal error %s at %s on %s %s", type(exc).__name__, _where(exc), request.method, request.url.path)
        return _error(500, "internal_error", f"服务器内部错误（{type(exc).__name__}），请联系管理员")

    # ------------------------------------------------------------ access control
    async def require_token(request: Request) -> None:
        if config.token and not token_ok(request.headers, config.token):
            raise StarletteHTTPException(
                401, "缺少或错误的 API 令牌：请在 Authorization: Bearer <令牌> 或 X-Govscan-Token 头中提供",
                headers={"WWW-Authenticate": "Bearer"},
            )

    guarded = [Depends(require_token)]

    # ------------------------------------------------------------ the page
    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # ------------------------------------------------------------ API
    @app.get("/api/health", summary="服务状态")
    async def health() -> dict:
        """Status, version, enabled checks, the wording model's domain word lists (`?domain=` of
        /api/review), the upload and length limits, whether a token is required, and the last day
        whose leader changes the data records (`leader_data_until`: later texts get the office
        findings it cannot confirm as advisories)."""
        from ..checks.wording.lexicon import data_until

        return {
            "status": "ok",
            "version": __version__,
            "checks": service.check_codes,
            "domains": service.domains,
            "token_required": bool(config.token),
            "max_upload_bytes": config.max_body_bytes,
            "max_chars": service.reviewer.max_chars,
            "privacy": privacy.available(),
            "leader_data_until": data_until("leaders.tsv").isoformat(),
        }

    review_body = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": ReviewRequest.model_json_schema()},
                "application/x-www-form-urlencoded": {"schema": ReviewRequest.model_json_schema()},
                "text/plain": {"schema": {"type": "string", "description": "稿件正文"}},
                "text/html": {"schema": {"type": "string", "description": "HTML 稿件（如 CMS 富文本正文）"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary",
                                                "description": ".txt / .md / .html / .docx，按内容检查类型"},
                                       "text": {"type": "string", "description": "或：稿件正文（无 file 时）"},
                                       "name": {"type": "string", "description": "结果中稿件的名称（source）；随 file 提交时默认为文件名"},
                                       "published": {"type": "string", "format": "date",
                                                     "description": "稿件发布日期 YYYY-MM-DD（随 text 或 file 提交）：日期规则按此日判断"}},
                    }
                },
            },
        }
    }

    @app.post("/api/review", summary="审查一篇稿件", dependencies=guarded, openapi_extra=review_body)
    async def review(
        request: Request,
        show_text: bool = Query(False, description="Add the reviewed text (the extracted text for .html/.docx) "
                                                   "as \"text\", like `govscan review --show-text`."),
        domain: list[str] = Query([], description="Domain word list of the wording model for this draft: law, medicine "
                                                  "(repeatable), like `govscan review --domain`; added to the server's own."),
        published_q: dt.date | None = Query(None, alias="published", description=(
            "The draft's publication date, YYYY-MM-DD, for any body (an uploaded file, text/plain, JSON, a form): "
            "the date rules are judged at it, as at an HTML page's PubDate; a `published` field of the body wins.")),
    ) -> JSONResponse:
        """JSON `{"text": "...", "name": "draft.txt"}`, a form (urlencoded or multipart) with the
        fields `text` and `name`, the draft itself as a `text/plain` or `text/html` body, or a
        multipart upload (field `file`, with the optional fields `name`, the result's `source`, and
        `published`; a non-empty `text` beside a file is a 400).  JSON and form text are
        decoded in the Content-Type's charset, else UTF-8, else GB18030 (a form on a GBK page).

        A `published` field (YYYY-MM-DD; JSON, or a form with `text` or `file`) is the draft's publication
        date: the date rules are judged at it (`date_basis` "published"), as at an HTML page's
        PubDate; the page sends it back with an uploaded page's text after an edit.

        Returns exactly the JSON of `govscan review --format json` for that one input:
        `{"source", "length", "format", "findings": [...]}`; finding offsets are code points
        into the text as read (the extracted text for .html and .docx).  `?domain=law` or
        `?domain=medicine` (repeatable) adds the wording model's word list of that domain for this
        draft, as `govscan review --domain` does; an unknown domain is a 400.  The `Server-Timing`
        header gives the time spent in the review (`review`: wall clock, `cpu`: its CPU time,
        `model`: the CPU time of that spent in the wording model) and in the endpoint (`total`).
        With `?show_text=true` a file's parts that have a place (a DOCX's header, comments,
        footnotes, table cells) come as `"places": [{"start", "end", "location"}]`: a finding
        whose `start` lies in a part's span stands in that part, one whose span lies in a cell's
        in that cell (the page keeps them, shifted by its edits, for the re-review of the text).
        A part of the file that could not be read (a damaged workbook embedded in a DOCX) is
        listed in `"unread": [{"part": "<中文>", "reason_code"}]` (absent when there is none).

        An upload that cannot be read is a 422 `unreadable` whose `detail` says why in Chinese and
        whose `reason_code` names it for a program: `encrypted`, `scanned`, `corrupt`, `too_large`,
        `zip_bomb`, `encoding`, `binary`, `no_text`, `unsupported`, `content_mismatch` or
        `unreadable` (see `scanner.extract.reasons`).
        """
        ctype = request.headers.get("content-type", "").lower()  # media types are case-insensitive
        started = time.perf_counter()
        draft: ReviewRequest | PastedDraft | None = None
        published_field: dt.date | None = None  # an uploaded file's form fields
        label: str | None = None
        if ctype.startswith("application/json"):
            body = decode_body(await request.body(), charset_param(ctype), "JSON 请求体")
            try:
                draft = ReviewRequest.model_validate_json(body)
            except ValidationError as exc:
                raise UploadRejected(400, "invalid_json", f"请求体应为 JSON {{\"text\": \"...\"}}（{_json_problems(exc)}）") from None
        elif ctype.startswith("application/x-www-form-urlencoded"):
            draft = form_draft(await request.body(), ctype)
        elif ctype.startswith(("text/plain", "text/html")):  # the draft itself as the body (curl --data-binary)
            draft = PastedDraft(decode_body(await request.body(), charset_param(ctype), "请求体"), "-",
                                "html" if ctype.startswith("text/html") else "txt")
        elif ctype.startswith("multipart/form-data"):
            upload = await read_upload(request, REVIEW_KINDS, text_field=True)
            if isinstance(upload, PastedDraft):
                draft = upload
            else:  # the form's published and name fields came with the file (they were dropped)
                source, published_field, label = upload.source, upload.published, upload.name
        else:
            raise UploadRejected(415, "unsupported_media_type",
                                 "请求体应为 application/json（粘贴的正文）、text/plain、text/html、"
                                 "application/x-www-form-urlencoded 或 multipart/form-data（字段 text，或上传文件 file）")
        published = getattr(draft, "published", None) or published_field or published_q
        if draft is not None and draft.format == "html":
            if not draft.text.strip():
                raise UploadRejected(400, "empty", "正文为空")
            source, draft = Source(draft.name, draft.text.encode("utf-8"), media_type="text/html"), None
        if draft is not None:
            if not draft.text.strip():
                raise UploadRejected(400, "empty", "正文为空")
            if looks_binary(draft.text):  # as `govscan review` and an upload refuse it; it was reviewed: "未发现问题"
                raise UploadRejected(422, "unreadable", "正文是二进制数据（控制字符或无法解码的字符过多），不是文本")
            too_long = service.reviewer.too_long(Source(draft.name, b""), len(draft.text))
            if too_long is not None:  # before queueing: a 10 MB paste held the reviewer for minutes
                raise UploadRejected(413, "too_long", _too_long_detail(too_long))
            checks_started = time.perf_counter()
            result, cpu_ms, model_ms = await run_in_threadpool(
                service.run, _cpu_timed(_with_domains(domain, lambda r: r.review_text(draft.text, draft.name, published))))
        else:
            checks_started = time.perf_counter()
            result, cpu_ms, model_ms = await run_in_threadpool(
                service.run, _cpu_timed(_with_domains(domain, lambda r: r.review_source(source, published))))
        from ..pipeline import TooLong

        if isinstance(result, TooLong):
            raise UploadRejected(413, "too_long", f"{result.source.name}：{_too_long_detail(result)}")
        if isinstance(result, Skipped):  # the readers' reasons are English (the CLI's): told in Chinese, with a code
            why = explain(result.reason)
            if why.code == "empty":  # a file of spaces, a DOCX without text: as an empty upload (it was 422)
                raise UploadRejected(400, "empty", f"{result.source.name}：文件没有文字内容")
            raise UploadRejected(422, "unreadable", f"无法读取 {result.source.name}：{why.message}", why.code)
        review_ms = 1000 * (time.perf_counter() - checks_started)
        record = result.to_dict()
        if label is not None:
            record["source"] = label
        if show_text:
            record["text"] = result.text
            if result.places:  # where the text's parts stand in the file, for the page to keep after an edit
                record["places"] = list(result.places)
        response = JSONResponse(record)
        total_ms = 1000 * (time.perf_counter() - started)
        response.headers["Server-Timing"] = (f"review;dur={review_ms:.1f}, cpu;dur={cpu_ms:.1f}, model;dur={model_ms:.1f}, "
                                             f"total;dur={total_ms:.1f}")
        log.info("review: %s, %d chars, %d findings, %.0f ms", result.format, result.length,
                 len(result.findings), total_ms)
        return response

    upload_body = {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary",
                                        "description": ".txt / .html / .csv / .docx / .doc / .wps / .rtf / .xlsx / .xls / .et / .pdf / .ofd，按内容检查类型（脱敏不接受 .pdf / .ofd）"}},
            }}},
        }
    }

    @app.post("/api/privacy/audit", summary="个人信息审计（一个文件）", dependencies=guarded, openapi_extra=upload_body)
    async def privacy_audit(request: Request) -> JSONResponse:
        """An uploaded file -> its audit record, as one record of `govscan privacy audit --format json`:
        `{"path", "format", "verdict", "reason", "items": [...]}`.  Values are masked.  A file that
        cannot be read (`verdict` unreadable) has its reason in Chinese and a `reason_code` as the
        review's 422 (the CLI keeps its English reason).  The parts of a file not read (an
        attachment, a page, an embedded workbook: the reason's 未能读取 list) are told in Chinese
        and listed in `unread` (`[{"part": "<中文>", "reason_code": ...}]`); an unreadable record
        that was read in part has `reason_code` `partial`."""
        reason = privacy.unavailable_reason()
        if reason:
            return _error(501, "not_implemented", reason)
        source, fmt = await read_upload(request, PRIVACY_KINDS)
        record = await run_in_threadpool(service.run, lambda r: privacy.audit(source, config.policy))
        log.info("privacy audit: %s, verdict %s, %d items", record.get("format"), record.get("verdict"),
                 len(record.get("items", ())))
        return JSONResponse(record)

    @app.post("/api/privacy/mask", summary="一键脱敏（返回去标识化的文件）", dependencies=guarded,
              openapi_extra=upload_body, response_class=Response)
    async def privacy_mask(request: Request) -> Response:
        """An uploaded file (.txt .md .html .csv .docx .xlsx; .xls/.et and .doc/.wps/.rtf come back as
        .xlsx/.docx) -> its de-identified copy in the same format, as `govscan privacy mask` writes it.  The copy is re-audited; a copy that is not
        compliant is refused (422) rather than returned.  Headers: `X-Govscan-Masked-Count`
        (values masked), `X-Govscan-Verdict` (the copy's audit verdict)."""
        reason = privacy.unavailable_reason()
        if reason:
            return _error(501, "not_implemented", reason)
        source, fmt = await read_upload(request, MASK_KINDS)
        try:
            with _request_dir(config) as workdir:
                masked = await run_in_threadpool(service.run, lambda r: privacy.mask(source, workdir, config.policy))
        except privacy.PrivacyFailed as exc:
            raise UploadRejected(422, "mask_failed", exc.reason, exc.code) from None
        log.info("privacy mask: %s, %d values masked", fmt, masked.masked_count)
        return Response(
            masked.data,
            media_type=masked.media_type,
            headers={
                "Content-Disposition": _attachment(masked.filename),
                "X-Govscan-Masked-Count": str(masked.masked_count),
                "X-Govscan-Verdict": masked.verdict,
            },
        )

    return app


class _request_dir:
    """A temporary directory for one request, removed (with everything in it) on exit."""

    def __init__(self, config: WebConfig):
        self.config = config
        self.path: Path | None = None

    def __enter__(self) -> Path:
        self.path = Path(tempfile.mkdtemp(prefix="govscan-web-", dir=self.config.workdir))
        return self.path

    def __exit__(self, *exc) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def check_listen(host: str, port: int) -> None:
    """Raise ConfigError when the server could not listen on ``host:port`` (a host that does
    not resolve, a port in use): uvicorn would log it after start-up and exit with its own
    status 3."""
    import socket

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise ConfigError(f"--host {host}: unknown host ({getattr(exc, 'strerror', None) or exc})") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None


def serve(config: WebConfig, port: int = 8000, *, log_level: str = "info") -> None:
    """Build the reviewer (failing early with a one-line error), then run uvicorn, one worker."""
    import uvicorn

    from ..pipeline import Reviewer

    config.validate()
    check_listen(config.host, port)  # before the models load: a taken port fails in a second
    reviewer = Reviewer(config.settings, policy=config.policy)
    app = create_app(config, reviewer)
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["scanner.web"] = {"handlers": ["default"], "level": log_level.upper(), "propagate": False}
    uvicorn.run(app, host=config.host, port=port, workers=1, log_level=log_level, log_config=log_config,
                access_log=True, server_header=False, proxy_headers=False)
