"""A small OpenID Connect provider for the tests, on 127.0.0.1 in a thread: the authorization
code flow with PKCE (S256), RS256-signed ID tokens with ``kid``, a JWKS endpoint and userinfo.
It signs in whoever ``claims`` describes (the test plays the person at the provider's page).
Never the internet: the product talks to it over real HTTP, as to a gemeente's provider."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Provider:
    client_id: str = "inburgering"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    claims: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    kid: str = "test-sleutel-1"
    server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self.sleutel = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.sleutel.public_key()))
        jwk.update(kid=self.kid, alg="RS256", use="sig")
        return {"keys": [jwk]}

    def id_token(self, nonce: str | None) -> str:
        nu = int(time.time())
        payload = {
            "iss": self.url,
            "aud": self.client_id,
            "sub": self.claims["sub"],
            "iat": nu,
            "exp": nu + 300,
        }
        if nonce:
            payload["nonce"] = nonce
        return jwt.encode(payload, self.sleutel, algorithm="RS256", headers={"kid": self.kid})

    def start(self) -> Provider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                return

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                deel = urlsplit(self.path)
                vraag = {k: v[0] for k, v in parse_qs(deel.query).items()}
                if deel.path == "/authorize":
                    if vraag.get("client_id") != provider.client_id:
                        return self._json(400, {"error": "unauthorized_client"})
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = vraag
                    self.send_response(302)
                    self.send_header(
                        "Location",
                        vraag["redirect_uri"]
                        + "?"
                        + urlencode({"code": code, "state": vraag["state"]}),
                    )
                    self.end_headers()
                elif deel.path == "/jwks":
                    self._json(200, provider.jwks())
                elif deel.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json(401, {"error": "invalid_token"})
                    self._json(200, provider.claims)
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                lengte = int(self.headers.get("Content-Length", "0"))
                vorm = {k: v[0] for k, v in parse_qs(self.rfile.read(lengte).decode()).items()}
                if (
                    vorm.get("client_id") != provider.client_id
                    or vorm.get("client_secret") != provider.client_secret
                ):
                    return self._json(401, {"error": "invalid_client"})
                verzoek = provider.codes.pop(vorm.get("code", ""), None)
                if verzoek is None or vorm.get("redirect_uri") != verzoek["redirect_uri"]:
                    return self._json(400, {"error": "invalid_grant"})
                if "code_challenge" in verzoek:
                    uitdaging = (
                        base64.urlsafe_b64encode(
                            hashlib.sha256(vorm.get("code_verifier", "").encode()).digest()
                        )
                        .decode()
                        .rstrip("=")
                    )
                    if uitdaging != verzoek["code_challenge"]:
                        return self._json(400, {"error": "invalid_grant", "pkce": "mismatch"})
                toegang = secrets.token_urlsafe(16)
                provider.tokens[toegang] = provider.claims
                self._json(
                    200,
                    {
                        "access_token": toegang,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider.id_token(verzoek.get("nonce")),
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
