bluezone = facts.loc[["F209", "F210"]]
bluezone_chart = st.labelled_bars(
    bluezone.assign(short=st.short_labels(bluezone)),
    x_title=st.word("axis.million"),
    label="short",
    colour=GREEN,
    value_format=",.0f",
)
st.chart("dt-bluezone", bluezone_chart)
# the answer, checked against the data: both in millions, the active phones a part of the installs
assert set(bluezone["unit"]) == {facts.loc["F209", "unit"]}
assert 0 < bluezone["value"].iloc[1] < bluezone["value"].iloc[0]
