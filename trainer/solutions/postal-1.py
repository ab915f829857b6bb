compare = facts.loc[["F305", "F104", "F202", "F327", "F326"]]
st.chart(
    "postal-compare",
    st.measure_bars(
        compare.assign(short=[st.word(f"postal.try.{fid}") for fid in compare.index]),
        label="short",
        colour=st.FIELD_COLOURS["postal"],
        value_format=".1f",
    ),
)
# the answer, checked against the data: every postal rate beats telecom and GDP
post, others = compare.loc[["F305", "F104", "F202"], "value"], compare.loc[["F327", "F326"], "value"]
assert post.min() > others.max(), compare[["value"]]
