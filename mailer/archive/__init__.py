"""The archive of every meeting's takeaways, pure: the meetings as stored in, the static site
and TAKEAWAYS.md out as {relative path: text}; nothing here reads the store or writes a file
(mailer/reports/archive.py does).
"""
