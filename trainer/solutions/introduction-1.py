percent_changes = {
    tr(
        "Public services online at level 4, 2016 → 2020",
        "Dịch vụ công trực tuyến mức độ 4, 2016 → 2020",
    ): ["F313", "F312"],
    tr(
        "Home-grown cyber-security products, 2016 → 2020",
        "Sản phẩm an toàn, an ninh mạng nội địa, 2016 → 2020",
    ): ["F319", "F318"],
    tr(
        "Households connected to the internet, 2016 → 2020",
        "Hộ gia đình kết nối Internet, 2016 → 2020",
    ): ["F382", "F307"],
    tr(
        "Agencies with four-layer protection, during 2020",
        "Cơ quan được bảo vệ theo mô hình 4 lớp, trong năm 2020",
    ): ["F315", "F316"],
}
chart, alt_text = glance_chart(percent_changes, rank_changes)
display(show(chart, alt_text=alt_text))
# the answer, checked against the data: the new row is the largest jump on the panel
jumps = {row: facts.loc[end, "value"] - facts.loc[start, "value"] for row, (start, end) in percent_changes.items()}
assert max(jumps, key=jumps.get) == list(percent_changes)[-1], jumps
