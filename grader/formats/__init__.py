"""Reading files: the one loader (YAML and JSON, with lines) and the JSON Schemas that say what each format holds."""
