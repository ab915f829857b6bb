"""Shared code for the Vietnam ICT 2016-2021 data story.

Chapters import from here: validated data (:mod:`ictstory.data`), the chart
theme (:mod:`ictstory.theme`), chart output (:mod:`ictstory.charts`) and numbers
for the prose (:mod:`ictstory.prose`).
"""
