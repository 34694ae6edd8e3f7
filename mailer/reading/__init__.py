"""Reading one inbound message: what it is and what its sender says; pure, no I/O.

`classify.classify(raw) -> Reply` runs the rules in order (bounces, reports, calendar replies,
automatic replies, written words). A new reply rule goes here, tested on sample mail.
"""
