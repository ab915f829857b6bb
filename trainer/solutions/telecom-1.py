relief = facts.loc[["F019", "F401", "F016", "F109", "F008", "F010"]]
relief_chart = st.labelled_bars(
    relief.assign(short=st.short_labels(relief)),
    label="short",
    x_title=st.word("axis.billion-dong"),
)
st.chart("telecom-postal-relief", relief_chart)
# the answer, checked against the data: either telecom figure beats both postal ones together
assert relief.loc[["F019", "F401"], "value"].min() > relief.loc[["F008", "F010"], "value"].sum()
