open_targets = scorecard[scorecard["status"] == "open"]
telecom = open_targets[open_targets["field"] == "telecom"]
display(st.html_table(telecom[COLUMNS]))
# the answer, checked against the data: telecom has the most open targets, one with a progress figure
assert open_targets["field"].value_counts().idxmax() == "telecom"
assert telecom["progress_figure_id"].notna().sum() == 1
