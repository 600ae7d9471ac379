"""Target-group classification, practitioner-assigned profiles and their validation, and the overall outcome analysis."""
