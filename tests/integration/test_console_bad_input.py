"""Every console address, as an admin and as nobody, with nonsense in its path, its query and
its form (a valid form token, broken fields, a file that is no CSV): a clear page or a 4xx,
never a 500."""

import re

import httpx
import pytest
from starlette.routing import Mount, Route

from bot.bootstrap import Container
from tests.support.console import console_routes, csrf_of, young_person_with_referral
from tests.support.managing import client_for, signed_in

NONSENSE_QUERY = {"from": "2026-13-45", "to": "garbage", "q": "#\x00'--", "lang": "xx",
                  "partner": "<script>", "m": "zz", "topic": "nope", "mine": "maybe"}
NONSENSE_FORM = {"text": "x" * 60_000, "outcome": "nope", "partner": "\x00", "member": "abc",
                 "role": "god", "email": "not-an-email", "password": "", "new": "a",
                 "again": "b", "current": "", "id": "../../etc", "title_sq": "",
                 "deadline": "31.02.2026", "municipalities": "mars", "dry_run": "maybe"}


def _addresses(container: Container, referral: int) -> list[tuple[str, str]]:
    """Every route as (method, path), its placeholders filled with an existing referral, a
    missing one, and names no row has."""
    [mount] = console_routes(container)
    assert isinstance(mount, Mount)
    found = []
    for route in mount.routes:
        if not isinstance(route, Route):
            continue
        for value in (str(referral), "999999"):
            path = re.sub(r"\{[a-z_]+:int\}", value, route.path)
            path = re.sub(r"\{[a-z_]+(:str)?\}", "no-such-thing", path)
            for method in sorted(route.methods or {"GET"}):
                if method != "HEAD":
                    found.append((method, mount.path + path))
    return sorted(set(found))


async def _all_answered(client: httpx.AsyncClient, addresses: list[tuple[str, str]],
                        token: str) -> list[tuple[str, str, int]]:
    failed = []
    for method, path in addresses:
        if method == "GET":
            answer = await client.get(path, params=NONSENSE_QUERY)
        else:
            answer = await client.post(path, data={**NONSENSE_FORM, "csrf": token},
                                       files={"file": ("x.csv", b"\xff\xfe\x00,\n;;;")})
        if answer.status_code >= 500:
            failed.append((method, path, answer.status_code))
    return failed


@pytest.mark.parametrize("who", ["admin", "nobody"])
async def test_no_console_address_answers_nonsense_with_a_500(
    container: Container, who: str,
) -> None:
    referral = await young_person_with_referral(container)
    addresses = _addresses(container, referral)
    assert len(addresses) > 20  # every page and form of the console
    if who == "nobody":
        async with client_for(container) as client:
            token = csrf_of((await client.get("/staff/login")).text)
            assert await _all_answered(client, addresses, token) == []
        return
    async with signed_in(container, "Ana", "admin") as client:
        token = csrf_of((await client.get("/staff/")).text)
        assert await _all_answered(client, addresses, token) == []
