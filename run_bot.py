"""Run the news bot, or manage its seeds: `python run_bot.py --help`.

Also the installed `newsbot` command (`run`) and `python -m bot`: the one place that joins the
handlers to the command line.
"""

import os
import sys

from bot.cli import main
from handlers import register


def run(prog: str | None = None) -> int:
    return main(register, prog=prog or os.path.basename(sys.argv[0]) or "newsbot")


if __name__ == "__main__":
    sys.exit(main(register))
