"""The console's staff pages over HTTP: only admins manage members (403 by URL too), the CSRF
token on every form, adding a member who can then sign in, disabling one (their open session
refused at the next request) and enabling them again, the last active admin kept, a reset
password, and every member's own password change."""

import logging
import re

import httpx
import pytest

from bot.bootstrap import Container
from tests.support.console import PASSWORD, csrf_of, member, sign_in
from tests.support.managing import client_for, say, signed_in, token

SHOWN = re.compile(r'<code class="password">([^<]+)</code>')


async def member_id(container: Container, email: str) -> int:
    async with container.unit_of_work() as uow:
        found = await uow.staff.by_email(email)
        assert found is not None
        return found.id


async def can_sign_in(container: Container, email: str, password: str) -> bool:
    async with client_for(container) as client:
        return (await sign_in(client, email, password)).status_code == 303


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "partner", "viewer"])
async def test_only_admins_manage_staff(container: Container, role: str) -> None:
    other = await member(container, "Besa")
    target = await member_id(container, other)
    async with signed_in(container, "Anna", role, partner="Org") as client:
        assert (await client.get("/staff/members")).status_code == 403
        csrf = await token(client, "/staff/manage")
        assert "/staff/members" not in (await client.get("/staff/manage")).text
        added = await client.post("/staff/members", data={
            "csrf": csrf, "name": "Mallkuar", "email": "m@example.org", "role": "admin",
            "password": "long enough pass"})
        assert added.status_code == 403
        for action in ("disable", "role", "password"):
            answer = await client.post(f"/staff/members/{target}/{action}", data={
                "csrf": csrf, "role": "admin", "password": "long enough pass"})
            assert answer.status_code == 403, action
    assert not await can_sign_in(container, "m@example.org", "long enough pass")
    assert await can_sign_in(container, other, PASSWORD)


async def test_every_staff_form_refuses_a_post_without_its_csrf_token(
    container: Container,
) -> None:
    other = await member(container, "Besa")
    target = await member_id(container, other)
    async with signed_in(container, "Admin", "admin") as client:
        for data in ({}, {"csrf": "forged"}):
            posts = [client.post("/staff/members", data={
                **data, "name": "X", "email": "x@example.org", "role": "admin",
                "password": "long enough pass"})]
            posts += [client.post(f"/staff/members/{target}/{action}", data={
                **data, "role": "admin", "password": "long enough pass"})
                for action in ("role", "disable", "enable", "password")]
            posts.append(client.post("/staff/password", data={
                **data, "current": PASSWORD, "new": "a new password", "again": "a new password"}))
            for sent in posts:
                assert (await sent).status_code == 403
    assert await can_sign_in(container, other, PASSWORD)
    assert await can_sign_in(container, "admin@example.org", PASSWORD)
    assert not await can_sign_in(container, "x@example.org", "long enough pass")


async def test_an_admin_adds_members_who_can_sign_in(
    container: Container, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="youthbot.console")
    async with signed_in(container, "Admin", "admin") as client:
        csrf = await token(client, "/staff/members")
        typed = await client.post("/staff/members", data={
            "csrf": csrf, "name": "Dita", "email": "Dita@Example.org", "role": "supervisor",
            "password": "dita's own words"})
        assert typed.status_code == 200
        assert say(container, "console.members.done.added") in typed.text
        assert SHOWN.search(typed.text) is None

        generated = await client.post("/staff/members", data={
            "csrf": csrf, "name": "Erion", "email": "erion@example.org", "role": "partner",
            "partner": "Qendra Shembull", "password": ""})
        shown = SHOWN.search(generated.text)
        assert shown is not None
        assert SHOWN.search((await client.get("/staff/members")).text) is None  # once

        for bad, key in (({"email": "not-an-address"}, "console.members.error.email"),
                         ({"email": "dita@example.org"}, "console.members.error.taken"),
                         ({"role": "partner"}, "console.members.error.partner"),
                         ({"password": "short"}, "console.members.error.password")):
            form = {"csrf": csrf, "name": "Fatos", "email": "fatos@example.org",
                    "role": "caseworker", "password": "long enough pass"} | bad
            refused = await client.post("/staff/members", data=form)
            assert refused.status_code == 400, bad
            assert say(container, key, min=8) in refused.text, bad
    assert await can_sign_in(container, "dita@example.org", "dita's own words")
    assert await can_sign_in(container, "erion@example.org", shown.group(1))
    assert not await can_sign_in(container, "fatos@example.org", "long enough pass")
    lines = [r for r in caplog.records if r.getMessage() == "console action"]
    assert [r.fields["action"] for r in lines] == ["member.add", "member.add"]
    assert all("@" not in str(r.fields) and "dita's" not in str(r.fields) for r in lines)


async def test_a_disabled_member_is_refused_at_their_next_request_and_can_be_enabled(
    container: Container,
) -> None:
    email = await member(container, "Besa")
    target = await member_id(container, email)
    async with client_for(container) as besa, signed_in(container, "Admin", "admin") as admin:
        assert (await sign_in(besa, email)).status_code == 303
        besa_csrf = await token(besa, "/staff/password")
        csrf = await token(admin, "/staff/members")
        disabled = await admin.post(f"/staff/members/{target}/disable", data={"csrf": csrf})
        assert disabled.status_code == 303
        page = await admin.get(disabled.headers["location"])
        assert say(container, "console.members.done.disabled") in page.text

        assert (await besa.get("/staff/")).headers["location"] == "/staff/login"
        refused = await besa.post("/staff/password", data={
            "csrf": besa_csrf, "current": PASSWORD, "new": "taken over", "again": "taken over"})
        assert refused.status_code == 403
        assert not await can_sign_in(container, email, PASSWORD)

        enabled = await admin.post(f"/staff/members/{target}/enable", data={"csrf": csrf})
        assert enabled.status_code == 303
    assert await can_sign_in(container, email, PASSWORD)


async def test_the_last_active_admin_cannot_disable_or_demote_themselves(
    container: Container,
) -> None:
    async with signed_in(container, "Admin", "admin") as client:
        me = await member_id(container, "admin@example.org")
        csrf = await token(client, "/staff/members")
        last = say(container, "console.members.error.last_admin")
        for action, data in (("disable", {}), ("role", {"role": "supervisor"})):
            refused = await client.post(f"/staff/members/{me}/{action}",
                                        data={"csrf": csrf, **data})
            assert refused.status_code == 400 and last in refused.text, action
        assert (await client.get("/staff/members")).status_code == 200

        second = await member(container, "Ilir", "admin")
        demoted = await client.post(f"/staff/members/{me}/role",
                                    data={"csrf": csrf, "role": "supervisor"})
        assert demoted.status_code == 303
        assert (await client.get("/staff/members")).status_code == 403
    async with client_for(container) as ilir:
        assert (await sign_in(ilir, second)).status_code == 303
        csrf = await token(ilir, "/staff/members")
        ilir_id = await member_id(container, second)
        refused = await ilir.post(f"/staff/members/{ilir_id}/disable", data={"csrf": csrf})
        assert refused.status_code == 400


async def test_an_admin_resets_a_password(container: Container) -> None:
    email = await member(container, "Besa")
    target = await member_id(container, email)
    async with signed_in(container, "Admin", "admin") as client:
        csrf = await token(client, "/staff/members")
        short = await client.post(f"/staff/members/{target}/password",
                                  data={"csrf": csrf, "password": "short"})
        assert short.status_code == 400
        typed = await client.post(f"/staff/members/{target}/password",
                                  data={"csrf": csrf, "password": "a typed password"})
        assert typed.status_code == 200
        assert say(container, "console.members.done.password") in typed.text
        assert not await can_sign_in(container, email, PASSWORD)
        assert await can_sign_in(container, email, "a typed password")

        generated = await client.post(f"/staff/members/{target}/password",
                                      data={"csrf": csrf, "password": ""})
        shown = SHOWN.search(generated.text)
        assert shown is not None
    assert not await can_sign_in(container, email, "a typed password")
    assert await can_sign_in(container, email, shown.group(1))


async def test_a_member_changes_their_own_password(container: Container) -> None:
    async with signed_in(container, "Anna", "viewer") as client:
        csrf = await token(client, "/staff/password")

        async def change(current: str, new: str, again: str | None = None) -> httpx.Response:
            return await client.post("/staff/password", data={
                "csrf": csrf, "current": current, "new": new,
                "again": new if again is None else again})

        wrong = await change("not my password", "a brand new one")
        assert wrong.status_code == 400
        assert say(container, "console.password.wrong") in wrong.text
        mismatch = await change(PASSWORD, "a brand new one", "a brand new two")
        assert say(container, "console.password.mismatch") in mismatch.text
        short = await change(PASSWORD, "short")
        assert short.status_code == 400
        assert say(container, "console.members.error.password", min=8) in short.text
        assert await can_sign_in(container, "anna@example.org", PASSWORD)

        done = await change(PASSWORD, "a brand new one")
        assert done.status_code == 200
        assert say(container, "console.password.done") in done.text
        assert csrf_of(done.text) == csrf
    assert not await can_sign_in(container, "anna@example.org", PASSWORD)
    assert await can_sign_in(container, "anna@example.org", "a brand new one")
