"""The steps of one tick that act: one stored message handled, the GitHub step, the Sent folder.

The shell around the decisions: each reads the store, calls the pure core, and records what it
decided in one commit before anything is sent.
"""
