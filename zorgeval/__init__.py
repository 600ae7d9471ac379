"""Application layer: example data, project files, the report command."""
