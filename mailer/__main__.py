"""`python -m mailer` runs the same command as `mailer`."""

from .cli import main

main()
