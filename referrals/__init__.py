"""Lead qualification and the staff referral queue.

``lifecycle`` holds the rules (statuses, moves, priorities, outcomes, re-alert timing) with no
I/O; ``queue`` makes the moves inside the caller's unit of work and writes the audit trail.
Listings, the donor CSV and every count are the read side's (``reports``). This package knows
storage only through the unit of work's ``referrals`` repository, and knows no channel.
"""
