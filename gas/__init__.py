"""Goal Attainment Scaling: scales as data, parsing dossier wording, rater aggregation, T-scores, goal reports."""
