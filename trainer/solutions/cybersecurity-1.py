level4 = facts.loc[["F313", "F312", "F217", "F218"]].reset_index(drop=True)
level4["short"] = ["2016", "2020", tr("July 2021", "Tháng 7/2021"), tr("End of 2021", "Cuối năm 2021")]
display(
    show(
        target_progress(
            level4,
            title=tr(
                f"Level-4 services were at {fmt_number(level4['value'].iloc[2])}% "
                f"with {fmt_number(level4['value'].iloc[3])}% due by the end of 2021",
                f"Dịch vụ mức độ 4 mới đạt {fmt_number(level4['value'].iloc[2])}%, "
                f"trong khi phải đạt {fmt_number(level4['value'].iloc[3])}% vào cuối năm 2021",
            ),
            x_title=tr("Services at level 4 (%)", "Dịch vụ mức độ 4 (%)"),
            label="short",
            colour=FIELD_COLOURS["digital_transformation"],
        ),
        alt_text=tr(
            "Bar chart of the share of online public services at level 4: ",
            "Biểu đồ cột về tỷ lệ dịch vụ công trực tuyến mức độ 4: ",
        )
        + "; ".join(
            f"{r.short} ({KIND_WORDS[r.kind]}): {fmt_number(r.value)}%" for r in level4.itertuples()
        ),
    )
)
# the answer, checked against the data: the share rose each time and was short of the target
reached, target = level4["value"].iloc[:3], level4["value"].iloc[3]
assert reached.is_monotonic_increasing and reached.iloc[-1] < target and level4["kind"].iloc[3] == "target"
