"""The editor's web review page and the HTTP API (FastAPI, served by uvicorn).

    GET  /                     the review page (Chinese; static assets ship in the package)
    GET  /api/health           status, version, enabled checks, whether a token is required
    POST /api/review           JSON {"text", "name"} or an uploaded .txt/.html/.docx ->
                               the JSON of ``govscan review --format json`` for that input
    POST /api/privacy/audit    an uploaded file -> its audit record (``govscan privacy audit``)
    POST /api/privacy/mask     an uploaded file -> its de-identified copy (``govscan privacy mask``)
    GET  /docs                 OpenAPI documentation (served offline, no CDN)

``create_app`` builds the app; ``serve`` runs it with uvicorn (``govscan serve``).
"""
from .app import WebConfig, create_app, serve

__all__ = ["WebConfig", "create_app", "serve"]
