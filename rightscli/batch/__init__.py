"""`rights batch`: many cases at once, one letter each, streamed.

* :mod:`~rightscli.batch.sources` reads the input one case at a time (JSON Lines, CSV or a folder of case files).
  Each case is an :class:`~rightscli.batch.items.Item`; CSV rows are read by :mod:`~rightscli.batch.csvrows`.
* :mod:`~rightscli.batch.names` turns order ids into safe, unique file names.
* :mod:`~rightscli.batch.work` validates, assesses, renders and writes one case (the same calls as `rights letter`).
* :mod:`~rightscli.batch.runner` drives the cases in input order, in this process or in a few worker processes.
* :mod:`~rightscli.batch.report` shows progress, the per-case JSON Lines and the summary.

Nothing here imports jinja2 or python-docx at module level: they come in through the letter rendering path.
"""
