"""``python -m ictstory.build`` (``make book``)."""

from ictstory.build.book import main

raise SystemExit(main())
