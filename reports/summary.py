"""Every figure of a period in one plain value: what ``youthbot report`` writes as JSON and
what the console's report page and the spreadsheet lay out."""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reports import campaign_funnel, funnel, reach
from reports.feedback import helped as read_helped
from reports.period import Period
from reports.profiles import Profiles
from reports.profiles import profiles as read_profiles
from reports.timings import MonthTimings, PriorityTimings, by_month, by_priority


@dataclass(frozen=True)
class Summary:
    period: Period
    generated_at: datetime
    campaigns: list[reach.CampaignReach]
    new_users: reach.NewUsers
    referrals: funnel.ReferralFunnel
    timings: list[PriorityTimings]
    campaign_funnel: list[campaign_funnel.CampaignFunnel]
    profiles: Profiles = field(default_factory=lambda: Profiles({}, {}, {}, {}))
    """The profile question's answers of the people who first came in the period."""
    timings_by_month: list[MonthTimings] = field(default_factory=list)
    helped: dict[str, int] = field(default_factory=dict)
    """The "did this help?" answers, by each referral's last one."""

    def as_json(self) -> dict[str, Any]:
        """Plain JSON types: dates as ISO strings, counts raw (not suppressed)."""
        data = asdict(self)
        data["period"] = {"from": _iso(self.period.start), "to": _iso(self.period.end)}
        data["generated_at"] = self.generated_at.isoformat(timespec="seconds")
        return data


def _iso(day: object) -> str | None:
    return None if day is None else str(day)


async def summary(
    session: AsyncSession, period: Period, generated_at: datetime,
    log_kept_from: datetime | None,
) -> Summary:
    """Reach, referrals, staff timings (by priority, and by month), each campaign's funnel,
    the profile question's answers and the "did this help?" answers of the period, read in one
    session. ``log_kept_from``: the oldest instant the message log still covers (now less
    ``RETENTION_DAYS``; None: all of it), so a past period's figures do not change when
    retention empties the log."""
    return Summary(
        period=period, generated_at=generated_at,
        campaigns=await reach.campaigns(session, period),
        new_users=await reach.new_users(session, period),
        referrals=await funnel.referrals(session, period),
        timings=await by_priority(session, period),
        campaign_funnel=await campaign_funnel.per_campaign(session, period, log_kept_from),
        profiles=await read_profiles(session, period),
        timings_by_month=await by_month(session, period),
        helped=await read_helped(session, period),
    )
