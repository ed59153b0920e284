"""The studio token: an ``Authorization: Bearer`` header, or a session cookie got by signing in.

The page cannot put headers on image requests or WebSockets, and a token in a URL ends up in
logs and histories, so the page signs in once: it POSTs the token to ``/api/login`` and gets an
HttpOnly, SameSite=Strict cookie that the browser sends with every same-origin request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict

COOKIE_NAME = "convogen_studio"
_SESSION_LABEL = b"convogen studio session"


class LoginRequest(BaseModel):
    """The token typed into the page's sign-in form."""

    model_config = ConfigDict(extra="forbid")

    token: str


class TokenAuth:
    """Checks requests against the studio token (everything passes when there is none)."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        # The cookie holds a value derived from the token, not the token itself.
        self.session = (
            None
            if token is None
            else hmac.new(token.encode(), _SESSION_LABEL, hashlib.sha256).hexdigest()
        )

    def matches(self, given: str) -> bool:
        """Whether ``given`` is the token (in time that does not depend on how much matched)."""
        return self.token is not None and secrets.compare_digest(
            given.encode(), self.token.encode()
        )

    def authorised(self, headers: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
        """Whether a request with these headers and cookies may use the studio."""
        if self.token is None or self.session is None:
            return True
        header = headers.get("authorization", "")
        if header[:7].lower() == "bearer ":
            return self.matches(header[7:].strip())
        cookie = cookies.get(COOKIE_NAME)
        return cookie is not None and secrets.compare_digest(cookie.encode(), self.session.encode())

    def require(self, request: Request) -> None:
        """A FastAPI dependency: 401 unless the request is authorised."""
        if not self.authorised(request.headers, request.cookies):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "missing or wrong token: send 'Authorization: Bearer <token>' "
                "or sign in on the page",
                headers={"WWW-Authenticate": "Bearer"},
            )


def build_auth_router(auth: TokenAuth) -> APIRouter:
    """``/api/login`` (token in, session cookie out) and ``/api/logout``."""
    router = APIRouter(prefix="/api")

    @router.post("/login", status_code=status.HTTP_204_NO_CONTENT)
    def login(request: Request, body: LoginRequest, response: Response) -> None:
        if auth.session is None:
            return  # no token: nothing to sign in to
        if not auth.matches(body.token):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong token (field 'token')")
        response.set_cookie(
            COOKIE_NAME,
            auth.session,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )

    @router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
    def logout(response: Response) -> None:
        response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")

    @router.get("/session")
    def session(request: Request) -> dict[str, bool]:
        return {
            "token_required": auth.token is not None,
            "signed_in": auth.authorised(request.headers, request.cookies),
        }

    return router
