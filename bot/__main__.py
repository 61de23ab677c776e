"""`python -m bot`: the same command line as `run_bot.py` and the installed `newsbot`."""

import sys

# The command line lives above bot/ (it joins the handlers to it): run_bot.py is that module.
from run_bot import run

if __name__ == "__main__":
    sys.exit(run("python -m bot"))
