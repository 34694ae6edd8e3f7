"""The demo on loopback servers (`mailer sandbox`) and the simulated participants it and the
tests use to reply as Gmail, Outlook, a vacation responder or a mail server would.
"""
