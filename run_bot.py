"""Run the news bot, or manage its seeds: `python run_bot.py --help`."""

import sys

from bot.cli import main
from handlers import register

if __name__ == "__main__":
    sys.exit(main(register))
