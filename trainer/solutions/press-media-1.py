days = 366  # 2020 was a leap year
low, high = st.fmt_number(per_day["value"], 0), st.fmt_number(per_day["value_high"], 0)
check = facts.loc[["F125"]].assign(
    value=per_day["value"] * days,
    value_high=per_day["value_high"] * days,
    kind="derived",
    figure_id=st.word("press-media.rate-times-days-id"),
    indicator=facts.loc["F124", "indicator"],  # a count of news items, like F124
    short=st.word("press-media.rate-times-days", low=low, high=high, days=days),
)
reported = facts.loc[["F124"]].assign(short=lambda d: st.chapter_labels(d, "press-media"))
coverage = pd.concat([reported, check])
st.chart(
    "press-media-try-whole-year",
    st.range_dots(coverage, x_title=st.word("press-media.try.axis"), colour=BLUE),
)
# the answer, checked against the data: even the top rate for a whole year stays below the total
assert days == pd.Timestamp("2020-12-31").dayofyear
assert check["value_high"].iloc[0] < total, (check["value_high"].iloc[0], total)
