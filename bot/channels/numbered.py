"""Choices as numbered lines, for channels without buttons (the terminal, WhatsApp)."""

from bot.messages import Outbound


def render_numbered(reply: Outbound) -> str:
    lines = [f"{number}. {choice.label}" for number, choice in enumerate(reply.choices, 1)]
    return "\n\n".join(part for part in (reply.text, "\n".join(lines)) if part)
