"""Loading: record files in, typed records and the problems met reading them out (parse, schema, model)."""
