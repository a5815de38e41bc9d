"""The case timeline: waiting windows after events, the "what now" plan and a case's row in the folder status.

Pure like the engine: no I/O, no clock. The views present a plan (:mod:`rightscli.views.plan_view`, the calendar
file :mod:`rightscli.views.ics`); `rights status` reads the folder (:mod:`rightscli.cli.timeline`).
"""
