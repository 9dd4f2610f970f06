"""The docs pages may load from the app's own origin only, whatever their bundles link to.

ReDoc's bundle, for one, shows Redocly's logo from a CDN in its menu: the browser is told not to
fetch it (the page hides a logo that fails to load), so /docs and /redoc never reach the internet.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGES = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


class OwnOriginOnly:
    """Adds the Content-Security-Policy POLICY to the answers of the PAGES."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in PAGES:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Content-Security-Policy"] = POLICY
            await send(message)

        await self.app(scope, receive, send_with_policy)
