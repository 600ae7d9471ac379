"""Table labels of the group comparisons as the English and Dutch SPSS interfaces print them."""

from __future__ import annotations

from evalstats.format import _check_lang

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "between": "Between Groups",
        "within": "Within Groups",
        "total": "Total",
        "ss": "Sum of Squares",
        "df": "df",
        "df1": "df1",
        "df2": "df2",
        "ms": "Mean Square",
        "F": "F",
        "sig": "Sig.",
        "sig2": "Sig. (2-tailed)",
        "statistic": "Statistic",
        "levene_stat": "Levene Statistic",
        "levene_mean": "Based on Mean",
        "levene_median": "Based on Median",
        "welch": "Welch",
        "brown_forsythe": "Brown-Forsythe",
        "N": "N",
        "mean": "Mean",
        "sd": "Std. Deviation",
        "se": "Std. Error",
        "se_mean": "Std. Error Mean",
        "ci_lower": "{pct}% Confidence Interval for Mean: Lower Bound",
        "ci_upper": "{pct}% Confidence Interval for Mean: Upper Bound",
        "min": "Minimum",
        "max": "Maximum",
        "group_i": "(I) {group}",
        "group_j": "(J) {group}",
        "mean_diff_ij": "Mean Difference (I-J)",
        "lower": "{pct}% Confidence Interval: Lower Bound",
        "upper": "{pct}% Confidence Interval: Upper Bound",
        "levene_F": "Levene's Test for Equality of Variances: F",
        "levene_sig": "Levene's Test for Equality of Variances: Sig.",
        "t": "t",
        "mean_diff": "Mean Difference",
        "se_diff": "Std. Error Difference",
        "diff_lower": "{pct}% Confidence Interval of the Difference: Lower",
        "diff_upper": "{pct}% Confidence Interval of the Difference: Upper",
        "equal": "Equal variances assumed",
        "unequal": "Equal variances not assumed",
        "tukey": "Tukey HSD",
        "games-howell": "Games-Howell",
        "levene_test": "Levene's test",
        "welch_test": "Welch's",
        "vs": "vs.",
        "ci": "CI",
        "diff": "Mdiff",
    },
    "nl": {
        "between": "Tussen groepen",
        "within": "Binnen groepen",
        "total": "Totaal",
        "ss": "Kwadratensom",
        "df": "df",
        "df1": "df1",
        "df2": "df2",
        "ms": "Gemiddelde kwadraat",
        "F": "F",
        "sig": "Sig.",
        "sig2": "Sig. (tweezijdig)",
        "statistic": "Statistiek",
        "levene_stat": "Levene-statistiek",
        "levene_mean": "Gebaseerd op gemiddelde",
        "levene_median": "Gebaseerd op mediaan",
        "welch": "Welch",
        "brown_forsythe": "Brown-Forsythe",
        "N": "N",
        "mean": "Gemiddelde",
        "sd": "Standaarddeviatie",
        "se": "Standaardfout",
        "se_mean": "Standaardfout gemiddelde",
        "ci_lower": "{pct}%-betrouwbaarheidsinterval voor gemiddelde: Ondergrens",
        "ci_upper": "{pct}%-betrouwbaarheidsinterval voor gemiddelde: Bovengrens",
        "min": "Minimum",
        "max": "Maximum",
        "group_i": "(I) {group}",
        "group_j": "(J) {group}",
        "mean_diff_ij": "Gemiddeld verschil (I-J)",
        "lower": "{pct}%-betrouwbaarheidsinterval: Ondergrens",
        "upper": "{pct}%-betrouwbaarheidsinterval: Bovengrens",
        "levene_F": "Levene-toets voor gelijkheid van varianties: F",
        "levene_sig": "Levene-toets voor gelijkheid van varianties: Sig.",
        "t": "t",
        "mean_diff": "Gemiddeld verschil",
        "se_diff": "Standaardfout verschil",
        "diff_lower": "{pct}%-betrouwbaarheidsinterval van het verschil: Ondergrens",
        "diff_upper": "{pct}%-betrouwbaarheidsinterval van het verschil: Bovengrens",
        "equal": "Gelijke varianties verondersteld",
        "unequal": "Gelijke varianties niet verondersteld",
        "tukey": "Tukey HSD",
        "games-howell": "Games-Howell",
        "levene_test": "Levene-toets",
        "welch_test": "Welch",
        "vs": "vs.",
        "ci": "BI",
        "diff": "Mverschil",
    },
}


def label(key: str, lang: str, **fmt) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``fmt``.

    Examples
    --------
    >>> label("between", "nl")
    'Tussen groepen'
    >>> label("lower", "en", pct=95)
    '95% Confidence Interval: Lower Bound'
    """
    _check_lang(lang)
    text = LABELS[lang][key]
    return text.format(**fmt) if fmt else text
