"""Human labels for the codes staff see (statuses, priorities, outcomes, topics, the answers a
young person chose): message ids of the catalogs, Albanian first. A code with no label (a
phone number given as contact, say) is shown as it is."""

from bot.i18n import N_, Translator

LABELS: dict[str, dict[str, str]] = {
    "priority": {"urgent": N_("staff.priority.urgent"), "high": N_("staff.priority.high"),
                 "normal": N_("staff.priority.normal")},
    "status": {"new": N_("staff.status.new"), "claimed": N_("staff.status.claimed"),
               "contacted": N_("staff.status.contacted"), "closed": N_("staff.status.closed"),
               "withdrawn": N_("staff.status.withdrawn")},
    "outcome": {
        "enrolled_training": N_("staff.outcome.enrolled_training"),
        "job_interview": N_("staff.outcome.job_interview"),
        "business_support": N_("staff.outcome.business_support"),
        "legal_migration_counselling": N_("staff.outcome.legal_migration_counselling"),
        "national_referral_mechanism_or_police":
            N_("staff.outcome.national_referral_mechanism_or_police"),
        "no_answer": N_("staff.outcome.no_answer"), "declined": N_("staff.outcome.declined"),
        "not_eligible": N_("staff.outcome.not_eligible"),
    },
    "topic": {"trainings": N_("staff.topic.trainings"), "jobs": N_("staff.topic.jobs"),
              "business": N_("staff.topic.business"), "migration": N_("staff.topic.migration"),
              "smuggling": N_("staff.topic.smuggling"), "human": N_("staff.topic.human"),
              "urgent": N_("staff.topic.urgent")},
    "municipality": {"kukes": N_("handoff.municipality.kukes"),
                     "has": N_("handoff.municipality.has"),
                     "tropoje": N_("handoff.municipality.tropoje"),
                     "other": N_("staff.label.other")},
    "age": {"u16": N_("handoff.age.u16"), "16_17": N_("handoff.age.16_17"),
            "18_24": N_("handoff.age.18_24"), "25_29": N_("handoff.age.25_29"),
            "30p": N_("handoff.age.30p"),
            # the bands before the under-16 rule, still on older referrals
            "u15": N_("handoff.age.u15"), "15_17": N_("handoff.age.15_17")},
    "gender": {"female": N_("staff.gender.female"), "male": N_("staff.gender.male"),
               "other": N_("staff.label.other"), "unsaid": N_("staff.gender.unsaid")},
    "contact": {"chat": N_("staff.contact.chat")},
    "channel": {"telegram": N_("staff.channel.telegram"),
                "whatsapp": N_("staff.channel.whatsapp"), "web": N_("staff.channel.web")},
}
"""For each kind of code, its codes and their message ids."""
DASH = "-"


def label(t: Translator, kind: str, code: str | None) -> str:
    """The label of ``code`` (a dash for none)."""
    if not code:
        return DASH
    key = LABELS[kind].get(code)
    return t(key) if key is not None else code
