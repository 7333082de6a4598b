import asyncio

from bot.locks import KeyedLocks


async def test_one_key_is_held_in_turn_and_other_keys_run_meanwhile() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def work(key: str, name: str, pause: float) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(work("ana", "a1", 0.05), work("ana", "a2", 0), work("ben", "b1", 0))
    assert order.index("a1 out") < order.index("a2 in")
    assert order.index("b1 in") < order.index("a1 out")
    assert len(locks) == 0 and not locks.busy("ana")
