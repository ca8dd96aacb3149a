"""Send statements to a Learning Record Store, in batches, retrying safely.

Statement ids are stable (UUID v5 of the record), so sending a batch again after a timeout or a
crash never makes duplicates: the store keeps one statement per id."""
from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

RETRYABLE = {408, 429, 500, 502, 503, 504}


class LRSError(Exception):
    pass


@dataclass
class Sent:
    statements: int = 0
    batches: int = 0
    retries: int = 0


def batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def endpoint(url: str) -> str:
    """The statements resource of the store at ``url``; LRSError (one line, the address itself left
    out: it may carry credentials) when ``url`` is not an http:// or https:// address."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        parts.port  # noqa: B018 - reading it checks the port ("host:abc" raises ValueError)
    except ValueError as error:
        raise LRSError(f"XAPI_LRS_URL is not a valid address ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(
            c.isspace() or not c.isprintable() for c in url.strip()):
        raise LRSError("XAPI_LRS_URL must be an http:// or https:// address without spaces, "
                       "for example https://lrs.example.org/xapi")
    return url.strip().rstrip("/") + "/statements"


def send(statements: Iterable[dict], *, url: str, username: str, password: str, batch_size: int = 100,
         attempts: int = 5, backoff: float = 1.0, timeout: float = 30.0,
         sleep: Callable[[float], None] = time.sleep) -> Sent:
    """POST the statements to ``url``/statements; raise LRSError when a batch cannot be delivered."""
    target = endpoint(url)
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
               "Authorization": f"Basic {token}"}
    sent = Sent()

    def deliver(method: str, target: str, payload) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        for attempt in range(1, attempts + 1):
            try:
                request = urllib.request.Request(target, data=body, headers=headers, method=method)
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
                    response.read()
                return
            except urllib.error.HTTPError as error:
                error.close()  # it holds the connection open otherwise
                if error.code == 409:
                    raise _Conflict() from None
                if error.code not in RETRYABLE or attempt == attempts:
                    raise LRSError(f"the LRS answered {error.code} to batch {sent.batches + 1}") from None
            except (ValueError, http.client.InvalidURL) as error:  # an address urlopen cannot use
                raise LRSError(f"XAPI_LRS_URL is not a valid address ({error})") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt == attempts:
                    raise LRSError(f"cannot reach the LRS: {getattr(error, 'reason', error)}") from None
            sent.retries += 1
            sleep(backoff * 2 ** (attempt - 1))

    for batch in batches(statements, batch_size):
        try:
            deliver("POST", target, batch)
        except _Conflict:
            # Some stores refuse a whole batch that holds an id they already have. Send that batch
            # one by one with PUT: a 409 for one statement then means "already stored".
            for item in batch:
                try:
                    deliver("PUT", f"{target}?{urllib.parse.urlencode({'statementId': item['id']})}", item)
                except _Conflict:
                    pass
        sent.batches += 1
        sent.statements += len(batch)
    return sent


class _Conflict(Exception):
    pass
