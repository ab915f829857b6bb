pandemic = events[events["field"].isin(["covid_response", "postal", "telecom"])]
chart, data = timeline(
    pandemic,
    start="2021-07-01",
    end="2021-10-31",
    title=tr(
        "The Delta months: most events are dated only to the quarter",
        "Những tháng Delta: phần lớn sự kiện chỉ được xác định đến quý",
    ),
    min_days=5,
)
display(
    show(
        chart,
        alt_text=timeline_alt_text(
            data,
            tr("Timeline of July to October 2021.", "Dòng thời gian từ tháng 7 đến tháng 10/2021."),
        ),
    )
)
# the answer, checked against the data: most events left are dated only to the quarter
precision = data["date_precision"].value_counts()
assert precision.idxmax() == "quarter" and precision["quarter"] > len(data) / 2, precision
