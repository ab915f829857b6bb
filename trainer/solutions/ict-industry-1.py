countries = facts.loc[["F037", "F027", "F015"]].assign(
    short=[
        tr("At ITU Digital World 2021", "Tham dự ITU Digital World 2021"),
        tr("Ranked in ITU's cybersecurity index", "Được xếp hạng trong chỉ số GCI của ITU"),
        tr("Ranked by the UPU", "Được UPU xếp hạng"),
    ]
)
display(
    show(
        labelled_bars(
            countries,
            label="short",
            title=tr(
                "Most of the world's countries joined ITU Digital World 2021",
                "Phần lớn các quốc gia trên thế giới đã tham gia ITU Digital World 2021",
            ),
            x_title=tr("Countries (and territories)", "Quốc gia (và vùng lãnh thổ)"),
            colour=FIELD_COLOURS["ict_industry"],
        ),
        alt_text=tr("Bar chart of counts of countries: ", "Biểu đồ cột số quốc gia: ")
        + "; ".join(f"{r.short}: {fmt_number(r.value, 0)}" for r in countries.itertuples()),
    )
)
# the answer, checked against the data: about four in five of the countries ITU ranks took part
share = countries.loc["F037", "value"] / countries.loc["F027", "value"]
assert round(share * 5) == 4, share
