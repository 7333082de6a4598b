"""The read side: what the programme's reports say, for the CLI now and the staff console later.

Each module reads one kind of figure from the database and returns plain frozen values:
``period`` (the dates a report covers), ``counts`` (GROUP BY helpers), ``reach`` (campaign starts,
new users), ``funnel`` (referrals by status, outcome, topic, priority, channel), ``timings`` (time
to claim and to first staff answer), ``suppression`` (small counts shown as "<5"), ``rows``
(the staff listing, one referral in full, the donor CSV, the outbox's problems), ``summary``
(all of a period's figures in one value, as ``youthbot report`` writes them) and
``opportunity_counts`` (per opportunity: views, "interested", referrals, outcomes, alerts),
``campaign_funnel`` (each campaign's steps, from a start to a positive outcome), ``published``
(the tables as they leave the programme, small counts hidden), ``files`` (those tables as .xlsx
or .csv), ``charts`` (SVG bars of a published table), ``funnel_steps`` (what "talked" and a
positive outcome mean) and ``kept`` (the counts kept of people who deleted their data, added to
every figure that counted them: which counters a deletion feeds, and reading them back).

It reads ``bot.storage`` models through the caller's session and never writes (``kept`` only
says what the erasure's repository adds); it knows no
channel, handler or web framework, so the CLI and the console render the same figures.
"""
