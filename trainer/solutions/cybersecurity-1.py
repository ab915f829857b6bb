level4 = facts.loc[["F313", "F312", "F217", "F218"]].reset_index(drop=True)
level4["short"] = [st.word(f"cybersecurity.try.{fid}") for fid in level4["figure_id"]]
st.chart(
    "cybersecurity-try-level4",
    st.target_progress(
        level4,
        x_title=st.word("cybersecurity.try.axis"),
        label="short",
        colour=st.FIELD_COLOURS["digital_transformation"],
    ),
)
# the answer, checked against the data: the share rose each time and was short of the target
reached, target = level4["value"].iloc[:3], level4["value"].iloc[3]
assert reached.is_monotonic_increasing and reached.iloc[-1] < target and level4["kind"].iloc[3] == "target"
