relief = facts.loc[["F019", "F401", "F008", "F010"]]
relief_chart = st.key_numbers(relief)  # unlike measures: a card each, no shared axis
st.chart("telecom-postal-relief", relief_chart)
# the answer, checked against the data: either telecom figure beats both postal ones together
assert relief.loc[["F019", "F401"], "value"].min() > relief.loc[["F008", "F010"], "value"].sum()
