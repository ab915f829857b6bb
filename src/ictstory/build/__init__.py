"""The build: ``python -m ictstory.build`` (:mod:`ictstory.build.book`), its lock, log,
dependency records, chapter execution, twin editions, serving and publishing."""
