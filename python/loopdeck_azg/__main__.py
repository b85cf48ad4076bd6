"""python3 <loopdeck>/python/loopdeck_azg --root DIR --game MODULE:CLASS --net MODULE:CLASS <subcommand> ...
(or `python3 -m loopdeck_azg ...` with <loopdeck>/python on PYTHONPATH)."""
import os
import sys

if not __package__:  # run as a folder: make the kit and this package importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from loopdeck_azg.adapter import main  # noqa: E402

main(sys.argv[1:])
