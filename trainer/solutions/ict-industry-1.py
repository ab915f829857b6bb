countries = facts.loc[["F037", "F027", "F015"]]
st.chart(
    "ict-industry-try-countries",
    st.labelled_bars(
        countries.assign(short=[st.word(f"ict-industry.try.{fid}") for fid in countries.index]),
        label="short",
        x_title=st.word("ict-industry.try.axis"),
        colour=st.FIELD_COLOURS["ict_industry"],
    ),
)
# the answer, checked against the data: about four in five of the countries ITU ranks took part
share = countries.loc["F037", "value"] / countries.loc["F027", "value"]
assert round(share * 5) == 4, share
