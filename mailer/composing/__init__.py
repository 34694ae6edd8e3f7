"""Turning what the decisions call for into real email: text and HTML from templates/, .ics.

Pure: an `Outgoing` in, bytes out. A new email is a template pair plus a context here.
"""
