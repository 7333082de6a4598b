"""What the campaign funnel's steps mean, for the people still here
(:mod:`reports.campaign_funnel`) and for those who deleted their data (:mod:`reports.kept`)."""

from referrals.lifecycle import Outcome

POSITIVE = frozenset({
    Outcome.ENROLLED_TRAINING, Outcome.JOB_INTERVIEW, Outcome.BUSINESS_SUPPORT,
    Outcome.LEGAL_MIGRATION_COUNSELLING, Outcome.NATIONAL_REFERRAL_MECHANISM_OR_POLICE,
})
"""Outcomes where the young person got what they were referred for; ``no_answer``,
``declined`` and ``not_eligible`` are not."""
TALKED = 2
"""Messages from the young person that make "talked to the bot"."""
