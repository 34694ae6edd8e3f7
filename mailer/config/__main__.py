"""`python -m mailer.config`: prints config.schema.json; with `--markdown`, the README's key table."""

import sys

from mailer.config.schema import markdown, schema_text

sys.stdout.write(markdown() if sys.argv[1:] == ["--markdown"] else schema_text())
