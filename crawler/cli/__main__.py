"""`python -m crawler.cli`: the ccrawl command."""

import sys

from crawler.cli import main

sys.exit(main())
