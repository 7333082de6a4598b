"""Staff members for tests, made the way ``youthbot staff add`` and the settings make them."""

from bot.bootstrap import Container
from bot.staff import accounts


async def caseworkers(container: Container, *names: str, role: str = "caseworker",
                      partner: str | None = None) -> dict[str, int]:
    """One active member per name (e-mail ``name@example.org``); their ids by name."""
    made = {}
    async with container.unit_of_work() as uow:
        for name in names:
            member = await accounts.add_member(
                uow, email=f"{name.lower()}@example.org", name=name, role_name=role,
                password="correct horse", partner=partner)
            made[name] = member.id
        await uow.commit()
    return made
