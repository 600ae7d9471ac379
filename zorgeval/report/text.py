"""The fixed report wording in English and Dutch."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "fidelity": "Fidelity",
        "factors": "Method factors",
        "target": "Target group and profiles",
        "gas": "Goal attainment (GAS)",
        "overall": "Overall analysis",
        "models": "Further models",
        "respondents": "Respondents per {by}",
        "level_table": "{level} means per {by}",
        "item": "Item", "principle": "Principle", "category": "Category",
        "variable": "Variable", "label": "Label", "total": "Total", "threshold": "Threshold",
        "band": "Band", "met": "Met", "comparison": "Comparison", "yes": "yes", "no": "no",
        "not_tested": "not tested", "group": "Group", "n": "N", "percent": "%",
        "item_plot": "Item means per {by} (markers) and each item's fidelity threshold (lines)",
        "steps": "Steps of the factor workflow",
        "factor_table": "Pattern loadings of the factors",
        "scree": "Scree plot ({group})",
        "heatmap": "Pattern loadings ({group})",
        "link": "Cases linked to their practitioner's survey",
        "profiles": "Profiles",
        "family_types": "Family types (registration list)",
        "young_mother": "Teen and young mothers",
        "multiproblem": "Multi-problem families",
        "risk_family": "Risk families",
        "target_group": "Target group (multi-problem or risk family)",
        "target_change": "Target characteristics at start and close",
        "warnings": "Warnings of the analysis",
        "raters": "Ratings per rater and the combined scores",
        "dropped": "dropped",
        "data": "Data", "data_files": "Data files as read", "data_part": "Part", "file": "File",
        "format": "Format", "rows": "Rows", "columns": "Columns", "sep": "Separator",
        "decimal": "Decimal mark", "blank_rows": "Blank rows dropped",
        "user_missing": "SPSS user-missing values",
        "period_first": "first", "period_last": "last",
        "n_per_pca": "the largest PCA; column n_used: the N of each step's PCA",
        "n_per_test": "the largest test; column N: the N of each test and model",
        "ratings": "ratings",
        "sentence_omitted": "The summary sentence is left out: it would quote a count below {k}.",
        "profile": "Profile",
        "validation": "Profile validation: logistic regression of each profile against the rest",
        "validation_models": "Profile validation: model summary",
        "n_profile": "N with profile", "n_dropped": "N dropped", "chi2": "χ²", "df": "df",
        "p": "p", "nagelkerke": "Nagelkerke R²",
        "dropout": "Premature ends (dropout)",
        "levels": "Results per goal category (reported evaluation: {period})",
        "levels_plot": "Distribution of the GAS levels per goal category",
        "trajectories": "Evaluations per 3-month period",
        "overall_summary": "Screening tests and factorial models per goal category",
        "factorial": "Factorial ANOVA: {category}",
        "logistic": "Logistic regression: {title}",
        "ttest": "Independent t test: {title}",
        "ttest_groups": "Group statistics: {title}",
        "mean": "M", "sd": "SD",
        "synthetic": "",
        "suppressed_note": (
            "Small cells: every cell describing fewer than {k} people is suppressed in this "
            "report — counts are shown as \"<{k}\", statistics of such groups as \"–\" "
            "({m} cells). Where a row or column total is shown, a second cell is suppressed as "
            "well (shown as \"x\", {c} cells) so that no small cell can be recomputed from the "
            "total; statistics computed from a suppressed cell (percentages, means, SDs, tests "
            "of a group, summary sentences) are left out too. The result objects of the "
            "analysis keep the exact values."
        ),
        "hidden_segment": "suppressed (a part below {k} or needed to protect it)",
        "multiple_goals": (
            "{n} case × goal-category combinations had more than one goal; their mean result "
            "is used."
        ),
        "unknown_cases": (
            "{n} case(s) in the goal data are not in the case data and were left out."
        ),
        "dropped_hidden": (
            "The statistics are left out: with the N of the other tests of this goal they would "
            "give the number of cases left out (fewer than {k}) back."
        ),
        "model_hidden": (
            "The statistics are left out: a group of the model has fewer than {k} people, and "
            "they would give its size and results back."
        ),
        "no_suppression": (
            "Small cells: no cell in this report describes fewer than {k} people."
        ),
        "timings": "Computed in {s:.1f} s.",
        "generated": "Instrument: {instrument}. Report language: English.",
        "generated_no_instrument": "Report language: English.",
        "n_goals_note": "N: evaluated goals",
    },
    "nl": {
        "fidelity": "Modelgetrouwheid",
        "factors": "Methodiekfactoren",
        "target": "Doelgroep en profielen",
        "gas": "Doelrealisatie (GAS)",
        "overall": "Totaalanalyse",
        "models": "Overige modellen",
        "respondents": "Respondenten per {by}",
        "level_table": "Gemiddelden per {level} en {by}",
        "item": "Item", "principle": "Principe", "category": "Categorie",
        "variable": "Variabele", "label": "Omschrijving", "total": "Totaal",
        "threshold": "Norm", "band": "Niveau", "met": "Gehaald", "comparison": "Vergelijking",
        "yes": "ja", "no": "nee", "not_tested": "niet getoetst", "group": "Groep", "n": "N",
        "percent": "%",
        "item_plot": "Itemgemiddelden per {by} (markeringen) en de norm per item (lijnen)",
        "steps": "Stappen van de factoranalyse",
        "factor_table": "Patroonladingen van de factoren",
        "scree": "Screeplot ({group})",
        "heatmap": "Patroonladingen ({group})",
        "link": "Casussen gekoppeld aan de vragenlijst van hun begeleider",
        "profiles": "Profielen",
        "family_types": "Gezinstypen (registratielijst)",
        "young_mother": "Tienermoeders en jonge moeders",
        "multiproblem": "Multiprobleemgezinnen",
        "risk_family": "Risicogezinnen",
        "target_group": "Doelgroep (multiprobleem- of risicogezin)",
        "target_change": "Doelgroepkenmerken bij start en afsluiting",
        "warnings": "Waarschuwingen bij de analyse",
        "raters": "Scores per beoordelaar en de gecombineerde scores",
        "dropped": "weggelaten",
        "data": "Gegevens", "data_files": "Ingelezen databestanden", "data_part": "Onderdeel",
        "file": "Bestand", "format": "Formaat", "rows": "Rijen", "columns": "Kolommen",
        "sep": "Scheidingsteken", "decimal": "Decimaalteken",
        "blank_rows": "Lege rijen weggelaten", "user_missing": "SPSS user-missing waarden",
        "period_first": "eerste", "period_last": "laatste",
        "n_per_pca": "de grootste PCA; kolom N gebruikt: de N van de PCA van elke stap",
        "n_per_test": "de grootste toets; kolom N: de N van elke toets en elk model",
        "ratings": "beoordelingen",
        "sentence_omitted": "De samenvattende zin is weggelaten: die zou een aantal onder {k} noemen.",
        "profile": "Profiel",
        "validation": "Validering van de profielen: logistische regressie van elk profiel tegen de rest",
        "validation_models": "Validering van de profielen: modellen",
        "n_profile": "N met profiel", "n_dropped": "N weggelaten", "chi2": "χ²", "df": "df",
        "p": "p", "nagelkerke": "Nagelkerke R²",
        "dropout": "Voortijdige beëindiging (uitval)",
        "levels": "Resultaten per doelcategorie (gerapporteerde evaluatie: {period})",
        "levels_plot": "Verdeling van de GAS-niveaus per doelcategorie",
        "trajectories": "Evaluaties per periode van 3 maanden",
        "overall_summary": "Screeningstoetsen en factoriële modellen per doelcategorie",
        "factorial": "Factoriële ANOVA: {category}",
        "logistic": "Logistische regressie: {title}",
        "ttest": "t-toets voor onafhankelijke groepen: {title}",
        "ttest_groups": "Groepsstatistieken: {title}",
        "mean": "M", "sd": "SD",
        "synthetic": "",
        "suppressed_note": (
            "Kleine aantallen: elke cel over minder dan {k} personen is in dit rapport "
            "onderdrukt — aantallen staan er als \"<{k}\", statistieken van zulke groepen als "
            "\"–\" ({m} cellen). Waar een rij- of kolomtotaal getoond wordt, is ook een tweede "
            "cel onderdrukt (als \"x\", {c} cellen), zodat geen klein aantal uit het totaal is "
            "terug te rekenen; statistieken die uit een onderdrukte cel volgen (percentages, "
            "gemiddelden, SD's, toetsen van een groep, samenvattende zinnen) zijn ook "
            "weggelaten. De resultaatobjecten van de analyse bevatten de exacte waarden."
        ),
        "hidden_segment": "onderdrukt (een deel onder {k} of nodig om dat te beschermen)",
        "multiple_goals": (
            "{n} combinaties van casus en doelcategorie hadden meer dan één doel; hun "
            "gemiddelde resultaat is gebruikt."
        ),
        "unknown_cases": (
            "{n} casus(sen) in de doelgegevens staan niet in de casusgegevens en zijn "
            "weggelaten."
        ),
        "dropped_hidden": (
            "De statistieken zijn weggelaten: met de N van de andere toetsen van dit doel zouden "
            "ze het aantal weggelaten casussen (minder dan {k}) prijsgeven."
        ),
        "model_hidden": (
            "De statistieken zijn weggelaten: een groep in het model telt minder dan {k} "
            "personen, en ze zouden de omvang en resultaten van die groep prijsgeven."
        ),
        "no_suppression": (
            "Kleine aantallen: geen cel in dit rapport gaat over minder dan {k} personen."
        ),
        "timings": "Berekend in {s:.1f} s.",
        "generated": "Instrument: {instrument}. Taal van het rapport: Nederlands.",
        "generated_no_instrument": "Taal van het rapport: Nederlands.",
        "n_goals_note": "N: geëvalueerde doelen",
    },
}

# Data values and column names the report shows as they come from the analysis (codes of
# the classifications, tidy-table columns): their Dutch wording. English shows them as they are.
VALUES_NL: dict[str, str] = {
    "yes": "ja", "no": "nee", "unknown": "onbekend", "undetermined": "niet te bepalen",
    "multi-problem": "multiprobleemgezin", "risk family": "risicogezin",
    "neither": "geen van beide", "unassignable": "niet toe te kennen",
}
COLUMNS_NL: dict[str, str] = {
    "n_start": "N start", "yes_start": "ja bij start", "n_close": "N afsluiting",
    "yes_close": "ja bij afsluiting", "n_paired": "N gepaard", "became_yes": "werd ja",
    "became_no": "werd nee", "excluded_unknown": "uitgesloten (onbekend)",
    "when": "Moment", "n": "N", "pct_of_cases": "% van de casussen",
    "pct_of_dropouts": "% van de uitvallers", "period": "Periode", "months": "Maanden",
    "n_evaluated": "N geëvalueerd", "n_cases": "N casussen", "pct_cases": "% van de casussen",
}


def value(lang: str, v: str) -> str:
    """A data value (``"yes"``, ``"risk family"``…) in the report's language.

    Examples
    --------
    >>> value("nl", "risk family"), value("en", "risk family"), value("nl", "A")
    ('risicogezin', 'risk family', 'A')
    """
    return VALUES_NL.get(v, v) if lang == "nl" else v


def column(lang: str, name: str) -> str:
    """A tidy-table column name as a report header in the report's language.

    Examples
    --------
    >>> column("nl", "n_paired"), column("en", "n_paired")
    ('N gepaard', 'n_paired')
    """
    return COLUMNS_NL.get(name, name) if lang == "nl" else name


def t(lang: str, key: str, **kw) -> str:
    """The wording of ``key`` in ``lang``, formatted with ``kw``.

    Examples
    --------
    >>> t("nl", "respondents", by="organisatie")
    'Respondenten per organisatie'
    """
    return TEXT[lang][key].format(**kw)
