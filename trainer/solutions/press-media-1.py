days = 366  # 2020 was a leap year
low, high = fmt_number(per_day["value"], 0), fmt_number(per_day["value_high"], 0)
check = facts.loc[["F125"]].assign(
    value=per_day["value"] * days,
    value_high=per_day["value_high"] * days,
    kind="derived",
    figure_id=tr("F125 × days", "F125 × số ngày"),
    short=tr(
        f"{low}–{high} a day × {days} days (our arithmetic)",
        f"{low}–{high} tin/ngày × {days} ngày (phép tính của chúng tôi)",
    ),
)
coverage = pd.concat(
    [facts.loc[["F124"]].assign(short=tr("Total reported", "Tổng số được báo cáo")), check]
)
display(
    show(
        range_dots(
            coverage,
            title=tr(
                "Even a whole year at the daily rate falls short of the total",
                "Ngay cả trọn một năm với tốc độ mỗi ngày vẫn không đạt tổng số",
            ),
            x_title=tr("COVID-19 news items", "Số tin, bài về COVID-19"),
        ),
        alt_text=tr(
            f"Reported total {fmt_number(total, 0)}; daily rate over {days} days: ",
            f"Tổng số được báo cáo {fmt_number(total, 0)}; tốc độ mỗi ngày trong {days} ngày: ",
        )
        + tr(
            f"{fmt_number(check['value'].iloc[0], 0)} to {fmt_number(check['value_high'].iloc[0], 0)}.",
            f"{fmt_number(check['value'].iloc[0], 0)} đến {fmt_number(check['value_high'].iloc[0], 0)}.",
        ),
    )
)
# the answer, checked against the data: even the top rate for a whole year stays below the total
assert days == pd.Timestamp("2020-12-31").dayofyear
assert check["value_high"].iloc[0] < total, (check["value_high"].iloc[0], total)
