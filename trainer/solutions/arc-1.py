recent_rate, recent_first, recent_last = st.home.outside_growth("postal_revenue_vnd", 2019, 2021)
half_year = st.figure("F202")
recent = pd.DataFrame(
    {
        st.word("table.period"): [
            st.home.years(recent_first["year"], recent_last["year"]),
            st.period_words(half_year),
        ],
        st.word("table.growth"): [st.fmt_number(recent_rate, 1) + "%", st.describe(half_year)],
        st.word("table.kind"): [st.word("kind.derived"), st.word("kind.reported")],
    }
)
display(st.html_table(recent))
# the answer, checked against the data: the outside series grew far slower than the reported rate
assert recent_rate < half_year["value"] / 2, (recent_rate, half_year["value"])
