"""What the organizer reads: `mailer status`, `mailer explain` and `mailer check`'s mail checks.

They read the store and the mailbox; they change nothing.
"""
