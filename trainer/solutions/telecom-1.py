relief = facts.loc[["F019", "F401", "F016", "F109", "F008", "F010"]].assign(
    short=[
        tr("Telecom support: 'up to nearly'", "Hỗ trợ viễn thông: 'lên tới gần'"),
        tr("Telecom support: 'up to'", "Hỗ trợ viễn thông: 'lên tới'"),
        tr("Pledges for computers", "Ủng hộ máy tính"),
        tr("Donation texts, 2020", "Tin nhắn ủng hộ, 2020"),
        tr("Postal relief programme", "Chương trình hỗ trợ của bưu chính"),
        tr("Postal free food", "Lương thực bưu chính phát miễn phí"),
    ]
)
display(
    show(
        labelled_bars(
            relief,
            label="short",
            title=tr(
                "Telecom support dwarfed the postal relief programmes",
                "Hỗ trợ của viễn thông vượt xa các chương trình của bưu chính",
            ),
            x_title=tr("Billion dong", "Tỷ đồng"),
        ),
        alt_text=tr(
            "Bar chart of pandemic support, in billion dong: ",
            "Biểu đồ cột các khoản hỗ trợ trong đại dịch, đơn vị tỷ đồng: ",
        )
        + "; ".join(f"{r.short}: {fmt_number(r.value, 1)}" for r in relief.itertuples()),
    )
)
# the answer, checked against the data: either telecom figure beats both postal ones together
assert relief.loc[["F019", "F401"], "value"].min() > relief.loc[["F008", "F010"], "value"].sum()
