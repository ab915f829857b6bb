bluezone = facts.loc[["F209", "F210"]].reset_index(drop=True)
bluezone["short"] = [
    tr("Smartphones with Bluezone installed", "Smartphone đã cài Bluezone"),
    tr("Of which active", "Trong đó đang hoạt động"),
]
installs = fmt_number(bluezone["value"].iloc[0])
display(
    show(
        labelled_bars(
            bluezone,
            title=tr(
                f"{installs} million phones had Bluezone by mid-2021",
                f"{installs} triệu smartphone đã cài Bluezone tính đến giữa năm 2021",
            ),
            x_title=tr("Smartphones (million)", "Smartphone (triệu máy)"),
            label="short",
            colour=GREEN,
            value_format=",.0f",
        ),
        alt_text=tr("Bar chart of Bluezone on 30 June 2021: ", "Biểu đồ cột về Bluezone ngày 30/6/2021: ")
        + "; ".join(
            f"{r.short}: {fmt_number(r.value)} {tr('million', 'triệu')}" for r in bluezone.itertuples()
        ),
    )
)
# the answer, checked against the data: both in millions, the active phones a part of the installs
assert set(bluezone["unit"]) == {facts.loc["F209", "unit"]}
assert 0 < bluezone["value"].iloc[1] < bluezone["value"].iloc[0]
