open_targets = scorecard[scorecard["status"] == "open"]
telecom = open_targets[open_targets["field"] == "telecom"]
digital = open_targets[open_targets["field"] == "digital_transformation"]
display(st.html_table(telecom[COLUMNS]))
display(st.html_table(digital[COLUMNS]))
# the answer, checked against the data: telecom has the most open targets and none with a
# progress figure; digital transformation's measured targets share one figure (level 4)
assert open_targets["field"].value_counts().idxmax() == "telecom"
assert telecom["progress_figure_id"].notna().sum() == 0
measured = digital["progress_figure_id"].dropna()
assert len(measured) == 2 and measured.nunique() == 1
