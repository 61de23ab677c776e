"""Run the news bot, or manage its seeds: `python run_bot.py --help`.

Also the installed `newsbot` command (`run`) and `python -m bot`: the one place that joins the
handlers to the command line.
"""

import os
import sys


def run(prog: str | None = None) -> int:
    try:
        # Imported here, so that Ctrl-C while they load (seconds on a busy machine) is caught.
        from bot.cli import main
        from handlers import register

        return main(register, prog=prog or os.path.basename(sys.argv[0]) or "newsbot")
    except KeyboardInterrupt:
        print("\nrun_bot.py: stopped.", file=sys.stderr)
        return 130  # killed by SIGINT, as shells count it


if __name__ == "__main__":
    sys.exit(run("run_bot.py"))
