"""The `rights` program: import the command-line interface with the garbage collector paused, then run it.

Importing Typer, click, rich and the command modules creates some hundred thousand objects, none of them garbage.
With the collector running, their creation triggers full collections that walk all of them: about 15–20 ms of every
run (measured with benchmarks/startup.py). So the collector is paused while the modules load, what they created is
moved out of its reach (:func:`gc.freeze`: module-level objects live as long as the process anyway), and it runs as
usual for the command itself, so that a long batch keeps its memory flat.

Only the console script and ``python -m rightscli`` come through here; importing :mod:`rightscli.cli` (tests, other
programs) leaves the collector alone.
"""

import gc


def main() -> None:
    gc.disable()
    try:
        from rightscli.cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    run()
