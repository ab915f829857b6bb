compare = facts.loc[["F305", "F104", "F202", "F327", "F326"]].assign(
    short=[
        tr("Post, average a year, 2016–2020", "Bưu chính, bình quân mỗi năm, 2016–2020"),
        tr("Parcels, first half 2020", "Gói, kiện, 6 tháng đầu năm 2020"),
        tr("Post, first half 2021", "Bưu chính, 6 tháng đầu năm 2021"),
        tr("Telecom, 2020", "Viễn thông, năm 2020"),
        tr("GDP, 2020", "GDP, năm 2020"),
    ]
)
display(
    show(
        labelled_bars(
            compare,
            label="short",
            title=tr(
                "The post grew far faster than telecom or the economy",
                "Bưu chính tăng trưởng nhanh hơn nhiều so với viễn thông và nền kinh tế",
            ),
            x_title=tr("Growth (%)", "Tăng trưởng (%)"),
            colour=FIELD_COLOURS["postal"],
            value_format=".1f",
        ),
        alt_text=tr("Bar chart of growth rates in percent: ", "Biểu đồ cột về tốc độ tăng trưởng, tính bằng phần trăm: ")
        + "; ".join(f"{r.short}: {fmt_number(r.value, 1)}%" for r in compare.itertuples()),
    )
)
# the answer, checked against the data: every postal rate beats telecom and GDP
post, others = compare.loc[["F305", "F104", "F202"], "value"], compare.loc[["F327", "F326"], "value"]
assert post.min() > others.max(), compare[["short", "value"]]
