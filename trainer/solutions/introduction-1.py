percent_changes = {
    st.word("intro.glance.level4"): ["F313", "F312"],
    st.word("intro.glance.security"): ["F319", "F318"],
    st.word("intro.glance.households"): ["F382", "F307"],
    st.word("intro.glance.bm4"): ["F315", "F316"],
}
st.chart("intro-glance-try", st.overview.glance_chart(facts, percent_changes, rank_changes))
# the answer, checked against the data: the new row is the largest jump on the panel
jumps = {row: facts.loc[end, "value"] - facts.loc[start, "value"] for row, (start, end) in percent_changes.items()}
assert max(jumps, key=jumps.get) == list(percent_changes)[-1], jumps
