"""Routes are typed: every name has a handler, every handler a name, and arguments of the kind
the name takes."""

import pytest

from bot.handlers import HANDLERS
from bot.routes import FlowAnswer, Route, RouteName, ShowPage, SwitchLanguage


def test_every_route_name_has_a_handler_and_every_handler_a_route_name() -> None:
    assert set(HANDLERS) == set(RouteName)
    assert all(isinstance(name, RouteName) for name in HANDLERS)


def test_a_route_takes_only_the_arguments_of_its_name() -> None:
    assert Route(RouteName.PAGE, ShowPage("jobs")).arg(ShowPage).page_id == "jobs"
    assert Route(RouteName.WELCOME).maybe(ShowPage) is None
    assert Route(RouteName.LANGUAGE).maybe(SwitchLanguage) is None
    with pytest.raises(TypeError):
        Route(RouteName.PAGE)  # a page route names its page
    with pytest.raises(TypeError):
        Route(RouteName.PAGE, FlowAnswer("risk", "fee", "yes"))
    with pytest.raises(TypeError):
        Route(RouteName.MENU, ShowPage("jobs"))
    with pytest.raises(TypeError):
        Route(RouteName.PAGE, ShowPage("jobs")).arg(FlowAnswer)
