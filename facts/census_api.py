"""A client for the Census International Trade API: one GET, bounded retries, clear errors.

The key travels only in the query string of the request itself: it is never part of an error,
a log line or a saved request (`Response.params` leaves it out).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

DEFAULT_URL = "https://api.census.gov/data/timeseries/intltrade"
KEY_SIGNUP = "https://api.census.gov/data/key_signup.html"
ATTEMPTS = 4  # one request and at most three retries
MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is not waited out

logger = logging.getLogger("facts.refresh")
# Retries are logged where logging is set up (the clock); `tradefact refresh` says one line.
logger.addHandler(logging.NullHandler())


class CensusApiError(Exception):
    """The API refused or failed a request; the message names the endpoint, never the URL."""

    def __init__(self, endpoint: str, status: int | None, problem: str) -> None:
        where = f"Census API {endpoint}" + (f" (HTTP {status})" if status is not None else "")
        super().__init__(f"{where}: {problem}")
        self.endpoint, self.status, self.problem = endpoint, status, problem


@dataclass(frozen=True)
class Response:
    """One answer of the API, as received: body bytes, status, the request without the key."""

    endpoint: str  # "exports/hs"
    params: dict[str, str]  # get, time, ...: never the key
    status: int  # 200, or 204 (nothing published for that time)
    body: bytes
    fetched_at: str  # ISO 8601, UTC

    def rows(self) -> list[list[str]]:
        """The JSON array of arrays (header first); [] for a 204."""
        return json.loads(self.body) if self.status == 200 else []


@dataclass(frozen=True)
class Client:
    """GETs from base_url/<endpoint> with the key; retries timeouts, 429 and 5xx with backoff."""

    key: str = field(repr=False)
    base_url: str = DEFAULT_URL
    timeout: float = 60.0
    backoff: float = 2.0  # seconds before the first retry; doubled each time
    sleep: Callable[[float], None] = time.sleep

    def get(self, endpoint: str, params: Mapping[str, str]) -> Response:
        """One request; a Response for 200 (a JSON array of arrays) or 204, else CensusApiError."""
        url = f"{self.base_url.rstrip('/')}/{endpoint}?{urlencode({**params, 'key': self.key})}"
        for attempt in range(1, ATTEMPTS + 1):
            status: int | None = None
            try:
                status, headers, body = _fetch(url, self.timeout)
            except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
                problem, wait = f"no answer ({_reason(exc)})", self._wait(attempt, None)
            else:
                if status != 429 and status < 500:
                    fetched = datetime.now(UTC).isoformat(timespec="seconds")
                    return _checked(
                        Response(endpoint, dict(params), status, body, fetched), headers
                    )
                problem = "rate limited" if status == 429 else "server error"
                wait = self._wait(attempt, headers.get("retry-after"))
            if attempt == ATTEMPTS:
                raise CensusApiError(endpoint, status, f"{problem} after {ATTEMPTS} attempts")
            logger.warning("Census API %s: %s; retrying in %.1f s", endpoint, problem, wait)
            self.sleep(wait)
        raise AssertionError("unreachable")

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), MAX_RETRY_AFTER)
        return float(self.backoff * 2 ** (attempt - 1))


def _fetch(url: str, timeout: float) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": "tradefact-refresh"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as err:  # 3xx (not followed), 4xx, 5xx
        with err:
            return err.code, _lower(err.headers), err.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Don't follow redirects: a missing or bad key is a 302 to an HTML page, not data."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _lower(headers: object) -> dict[str, str]:
    items = headers.items() if hasattr(headers, "items") else []
    return {str(k).lower(): str(v) for k, v in items}


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    return "timed out" if isinstance(reason, TimeoutError) else type(reason).__name__


def _checked(response: Response, headers: Mapping[str, str]) -> Response:
    """The response if it is data (200 with a JSON array of arrays) or 204; else why not."""
    endpoint, status = response.endpoint, response.status
    if status == 204:
        return response
    if 300 <= status < 400:
        page = headers.get("location", "").rsplit("/", 1)[-1].split("?")[0] or "another page"
        raise CensusApiError(
            endpoint,
            status,
            f"redirected to {page}: usually a missing, wrong or unactivated"
            f" CENSUS_API_KEY (a key is free at {KEY_SIGNUP})",
        )
    if status != 200:
        text = response.body[:200].decode("utf-8", "replace").strip().splitlines()
        detail = text[0] if text and not text[0].lstrip().startswith("<") else "no detail"
        raise CensusApiError(endpoint, status, f"request refused: {detail}")
    try:
        rows = json.loads(response.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        kind = "HTML" if response.body.lstrip()[:1] == b"<" else "not JSON"
        raise CensusApiError(
            endpoint,
            status,
            f"the answer is {kind}, not data: usually a missing, wrong or"
            f" unactivated CENSUS_API_KEY (a key is free at {KEY_SIGNUP})",
        ) from None
    if not _table(rows):
        raise CensusApiError(endpoint, status, "the answer is not a JSON array of string rows")
    return response


def _table(rows: object) -> bool:
    return (
        isinstance(rows, list)
        and len(rows) >= 1
        and all(isinstance(r, list) and all(isinstance(v, str | None) for v in r) for r in rows)
    )
