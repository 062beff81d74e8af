"""Serves the web page at / and its files under /static."""

import functools
import hashlib
import json
import os
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"
SERVICE_WORKER = Path(__file__).parent / "sw.js"  # not a page module: served at /sw.js only

# The page runs only its own scripts and styles and talks only to its own origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}


class RevalidatedStaticFiles(StaticFiles):
    """Static files a browser must revalidate (cheap 304s), so an upgrade is seen at once."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


SHELL_SUFFIXES = {".js", ".css", ".svg", ".png", ".webmanifest"}

router = APIRouter(tags=["web"])
router.routes.append(
    Mount("/static", app=RevalidatedStaticFiles(directory=STATIC_DIR), name="static")
)


@router.get("/", include_in_schema=False)
async def index() -> FileResponse:
    """The single-page app."""
    return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)


@functools.cache
def service_worker_source() -> str:
    """sw.js with the app shell's files and a version that changes whenever one of them does."""
    files = sorted(
        path
        for path in STATIC_DIR.rglob("*")
        if path.suffix in SHELL_SUFFIXES and not path.name.startswith("swagger")
    )
    version = hashlib.sha256()
    for path in [*files, SERVICE_WORKER]:
        version.update(path.read_bytes())
    shell = ["/", *(f"/static/{path.relative_to(STATIC_DIR).as_posix()}" for path in files)]
    source = SERVICE_WORKER.read_text()
    source = source.replace("__VERSION__", version.hexdigest()[:16])
    return source.replace("__SHELL__", json.dumps(shell))


@router.get("/sw.js", include_in_schema=False)
async def service_worker() -> Response:
    """The service worker, from the root so that its scope is the whole page."""
    headers = {**PAGE_HEADERS, "Service-Worker-Allowed": "/"}
    return Response(service_worker_source(), media_type="text/javascript", headers=headers)


@router.get("/manifest.webmanifest", include_in_schema=False)
async def manifest() -> FileResponse:
    """The web app manifest: the page installs to a home screen or dock."""
    return FileResponse(
        STATIC_DIR / "manifest.webmanifest",
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/docs", include_in_schema=False)
async def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for the API, from files served here (it works without internet)."""
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url or "/openapi.json",
        title=f"{request.app.title} API",
        swagger_js_url="/static/vendor/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui.css",
        swagger_favicon_url="/static/icon.svg",
    )
