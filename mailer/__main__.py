"""`python -m mailer` runs the same command as `mailer`."""

from mailer.cli import main

main()
