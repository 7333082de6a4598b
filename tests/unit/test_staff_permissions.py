"""One table says which role may do what; partners act only on what is routed to them; every
code staff see has a label in both catalogs."""

from dataclasses import dataclass

import pytest

from bot.i18n import load_translators
from bot.staff.labels import LABELS, label
from bot.staff.permissions import ALLOWED, Permission, Role, may, partner_scope
from referrals import lifecycle


@dataclass
class Member:
    id: int
    role: str
    active: bool = True
    partner: str | None = None


@dataclass
class Referral:
    partner: str | None = None
    claimed_by_id: int | None = None


@pytest.mark.parametrize(("role", "permission", "allowed"), [
    ("caseworker", "claim", True), ("caseworker", "reassign", False),
    ("caseworker", "manage_staff", False), ("supervisor", "reassign", True),
    ("supervisor", "see_reports", True), ("supervisor", "manage_staff", False),
    ("admin", "manage_staff", True), ("viewer", "list_queue", True),
    ("viewer", "see_contact", False), ("viewer", "claim", False),
    ("partner", "close", True), ("partner", "see_reports", False),
])
def test_the_table(role: str, permission: str, allowed: bool) -> None:
    assert may(Member(1, role), Permission(permission)) is allowed


def test_every_role_has_a_row_and_nobody_disabled_or_unknown_may_act() -> None:
    assert set(ALLOWED) == set(Role)
    assert not may(Member(1, "admin", active=False), Permission.LIST_QUEUE)
    assert not may(Member(1, "boss"), Permission.LIST_QUEUE)
    assert not may(None, Permission.LIST_QUEUE)


def test_partners_act_only_on_referrals_routed_to_their_organisation() -> None:
    worker = Member(5, "partner", partner="Puna Kukës")
    assert may(worker, Permission.NOTE, Referral("Puna Kukës"))
    assert not may(worker, Permission.NOTE, Referral("IOM"))
    assert not may(worker, Permission.NOTE, Referral(None))
    assert not may(Member(6, "partner"), Permission.NOTE, Referral(None))
    assert partner_scope(worker) == "Puna Kukës" and partner_scope(Member(1, "admin")) is None


def test_giving_back_a_colleagues_referral_takes_the_right_to_reassign() -> None:
    held = Referral(claimed_by_id=7)
    assert may(Member(7, "caseworker"), Permission.UNCLAIM, held)
    assert not may(Member(8, "caseworker"), Permission.UNCLAIM, held)
    assert may(Member(9, "supervisor"), Permission.UNCLAIM, held)


def test_every_code_staff_see_has_a_label_in_both_languages() -> None:
    assert set(LABELS["status"]) == {s.value for s in lifecycle.Status}
    assert set(LABELS["priority"]) == {p.value for p in lifecycle.Priority}
    assert set(LABELS["outcome"]) == {o.value for o in lifecycle.Outcome}
    translators = load_translators(("sq", "en"))
    for t in translators.values():
        for kind, codes in LABELS.items():
            for code, key in codes.items():
                assert label(t, kind, code) not in (key, ""), (t.locale, key)
    sq = translators["sq"]
    assert (label(sq, "municipality", "has"), label(sq, "age", "18_24")) == ("Has", "18–24")
    assert label(sq, "contact", "+355691234567") == "+355691234567"
    assert label(sq, "topic", None) == "-"
