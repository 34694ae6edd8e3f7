"""The thin adapters to outside systems: IMAP, SMTP and GitHub.

Config in, the model's dataclasses out; library errors become TransientError (retry later) or
PermanentError (the organizer must act). They decide nothing.
"""
