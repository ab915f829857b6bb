pandemic = events[events["field"].isin(["covid_response", "postal", "telecom"])]
st.chart(
    "timeline-delta-months",
    st.timeline(pandemic, start="2021-07-01", end="2021-10-31", min_days=5),
)
# the answer, checked against the data: most events left are dated only to the quarter
data = st.events_between(pandemic, "2021-07-01", "2021-10-31")
precision = data["date_precision"].value_counts()
assert precision.idxmax() == "quarter" and precision["quarter"] > len(data) / 2, precision
