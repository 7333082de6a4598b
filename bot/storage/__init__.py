"""Persistence: SQLAlchemy models, repositories and the unit of work. The only place with SQL."""

from bot.storage import alerts as alerts  # the same for the tables of opt-in alerts
from bot.storage import catalogue as catalogue  # its tables join Base.metadata with the others
from bot.storage import kept_counts as kept_counts  # and those of what reports keep of erasures
from bot.storage import profiles as profiles  # the profile question's answers
from bot.storage import sign_ins as sign_ins  # the console's sign-in attempts
