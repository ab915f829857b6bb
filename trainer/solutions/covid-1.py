with_bluezone = [*fourth_wave, "F209", "F210"]
st.chart("covid-fourth-wave-bluezone", st.unit_panels(facts.loc[with_bluezone], "covid"))
# the answer, checked against the data: the two share a unit that no other figure here uses
bluezone_unit = set(facts.loc[["F209", "F210"], "unit"])
assert len(bluezone_unit) == 1 and not bluezone_unit & set(facts.loc[fourth_wave, "unit"])
