"""The case timeline: waiting windows after events, the "what now" plan, calendar export and the folder status.

Pure like the engine (no I/O, no clock) except :mod:`rightscli.plan.status`, which reads a folder of case files.
"""
