"""Roundtable mailer: invitations, RSVPs, seats and a waiting line for a small meeting, over plain email."""

__version__ = "0.1.0"
