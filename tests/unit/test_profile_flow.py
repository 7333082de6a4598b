"""The profile question's declaration speaks the referral's and the NLU's vocabulary, and every
button it makes has a label in both languages and reads back as its answer."""

from bot.config import LOCALES
from bot.flows import handoff, profile
from bot.flows.base import Pending
from bot.flows.interpret import AGE_BANDS
from bot.i18n import read_catalog
from bot.storage.repositories.profiles import COLUMNS
from nlu.entities import entity_values

FLOW = profile.FLOW


def _values(flow_step: str) -> list[str]:
    step = FLOW.step(flow_step)
    assert step is not None
    return [o.value for o in FLOW.options(step) if o.value not in (profile.SKIP, profile.DECLINE)]


def test_the_answers_are_the_referral_s_and_the_nlu_s_values() -> None:
    assert _values("municipality") == [*entity_values("municipality"), "other"]
    referral = {step.name: [o.value for o in step.options] for step in handoff.FLOW.steps}
    assert _values("municipality") == referral["municipality"]
    assert _values("age") == [band for band, _oldest in AGE_BANDS] == referral["age"]
    assert _values("gender") == referral["gender"]
    assert set(COLUMNS) == {step.name for step in FLOW.steps}


def test_every_step_can_be_skipped_and_the_first_declines_the_whole() -> None:
    for step in FLOW.steps:
        values = [o.value for o in FLOW.options(step)]
        assert profile.SKIP in values
        assert (profile.DECLINE in values) == (step is FLOW.steps[0])


def test_every_button_has_a_label_in_both_languages_and_reads_back() -> None:
    catalogs = {locale: {m.id: m.string for m in read_catalog(locale) if m.id}
                for locale in LOCALES}
    for step in FLOW.steps:
        pending = Pending(FLOW.name, step.name)
        assert len(pending.encode()) <= 32
        for option in FLOW.options(step):
            for locale in LOCALES:
                assert catalogs[locale].get(option.label), (locale, option.label)
            pressed = FLOW.press(FLOW.choice_id(step, option.value), pending)
            assert pressed == FLOW.answered(step, option.value)
