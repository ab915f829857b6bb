open_targets = scorecard[scorecard[STATUS_COLUMN] == STATUS["open"]]
telecom = open_targets[open_targets["field"] == "telecom"]
display(html_table(telecom[COLUMNS]))
# the answer, checked against the data: telecom has the most open targets, one with a progress figure
assert open_targets["field"].value_counts().idxmax() == "telecom"
assert telecom["progress_figure_id"].notna().sum() == 1
