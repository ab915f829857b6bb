"""``python -m ictstory.data`` (``make data``): validate ``data/``."""

from ictstory.data import main

raise SystemExit(main())
