"""Generated JSON Schema files for the JSON output (``python -m unspin.present.jsonout``)."""
