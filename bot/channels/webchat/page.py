"""The web chat's browser side: ``widget.js`` (one script, no framework), its stylesheet, and
the standalone page ``/webchat/`` a poster's QR code can point to.

The script and page are files beside this module. Their words come from the catalogs: the
script is served with every locale's labels in front of it (it picks by ``data-lang``), the
page with its labels put in, HTML-escaped. The page runs under a Content-Security-Policy that
allows only this service's own script, stylesheet and API: nothing inline, no frames of it.
"""

import html
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

from bot.campaigns import campaign_code_ok
from bot.i18n import N_, Translator

STATIC = Path(__file__).parent / "static"
LABELS = {
    "open": N_("webchat.open"), "title": N_("webchat.title"), "close": N_("webchat.close"),
    "log": N_("webchat.log"), "input": N_("webchat.input"), "send": N_("webchat.send"),
    "delete": N_("webchat.delete"), "slow_down": N_("webchat.slow_down"),
    "offline": N_("webchat.offline"), "you": N_("webchat.you"), "bot": N_("webchat.bot"),
    "choices": N_("webchat.choices"), "ended": N_("webchat.ended"),
}
"""The widget's labels: what it calls each one, and its message id."""
CSP = "; ".join((
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
    "img-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"))
"""The standalone page's policy: this service's own script, style and API, nothing else."""
SAFE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
        "Cache-Control": "public, max-age=300"}


class Pages:
    def __init__(self, translators: dict[str, Translator], default_locale: str) -> None:
        labels = {locale: {name: t(key) for name, key in LABELS.items()}
                  for locale, t in translators.items()}
        self._script = (
            f"window.YOUTHBOT_WEBCHAT_LABELS={json.dumps(labels, ensure_ascii=True)};"
            f"window.YOUTHBOT_WEBCHAT_DEFAULT={json.dumps(default_locale)};\n"
            + (STATIC / "widget.js").read_text(encoding="utf-8"))
        self._style = (STATIC / "widget.css").read_text(encoding="utf-8")
        self._page = (STATIC / "page.html").read_text(encoding="utf-8")
        self._translators = translators
        self._default = default_locale

    async def script(self, _request: Request) -> Response:
        return Response(self._script, media_type="text/javascript", headers=SAFE)

    async def style(self, _request: Request) -> Response:
        return Response(self._style, media_type="text/css", headers=SAFE)

    async def page(self, request: Request) -> Response:
        """The chat alone on a page; ``?c=`` is the campaign, ``?lang=`` the language."""
        campaign = request.query_params.get("c", "")
        lang = request.query_params.get("lang", self._default)
        locale = lang if lang in self._translators else self._default
        t = self._translators[locale]
        text = self._page.format(
            lang=locale, title=html.escape(t("webchat.page_title")),
            campaign=html.escape(campaign if campaign_code_ok(campaign) else ""))
        return Response(text, media_type="text/html", headers={
            "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
