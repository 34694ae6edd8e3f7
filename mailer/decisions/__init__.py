"""The decisions: who a reply is from, who is seated, what is due at `now`; pure, no I/O.

Plain functions of stored state and an explicit `now` (route, seats, decide, lifecycle, access,
topics, organizer). They return rows to store and emails to send; the tick acts on them.
"""
