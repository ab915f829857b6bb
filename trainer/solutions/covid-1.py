with_bluezone = {
    **fourth_wave,
    "F209": tr("Bluezone installs", "Bluezone: lượt cài đặt"),
    "F210": tr("Bluezone active", "Bluezone: đang dùng"),
}
chart, rows = unit_panels(
    list(with_bluezone),
    list(with_bluezone.values()),
    title=tr(
        "Bluezone adds a panel of its own: millions of phones",
        "Bluezone có ô riêng: hàng triệu điện thoại",
    ),
)
display(
    show(
        chart,
        alt_text=panel_alt_text(
            rows,
            tr(
                "Dot chart of the fourth wave, with Bluezone.",
                "Biểu đồ điểm về đợt dịch thứ tư, có thêm Bluezone.",
            ),
        ),
    )
)
# the answer, checked against the data: the two share a unit that no other figure here uses
bluezone_unit = set(rows.loc[["F209", "F210"], "unit"])
assert len(bluezone_unit) == 1 and not bluezone_unit & set(rows.loc[list(fourth_wave), "unit"])
