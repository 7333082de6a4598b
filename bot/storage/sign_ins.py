"""The staff console's sign-in attempts table (``bot.storage`` imports this module, so it is
on ``Base.metadata`` wherever the models are)."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base, utcnow


class ConsoleSignIn(Base):
    """One attempt to sign in to the staff console, kept a day to limit guessing per account
    and per client address (every web worker reads the same rows). Neither the e-mail nor the
    address is stored: only keyed hashes of them (``bot.web.limits``)."""

    __tablename__ = "console_sign_ins"
    __table_args__ = (
        Index("ix_console_sign_ins_account", "account", "created_at"),
        Index("ix_console_sign_ins_address", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    """``ok``, ``wrong`` (a wrong password or an unknown or disabled account), ``locked``."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
