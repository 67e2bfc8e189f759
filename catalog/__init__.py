"""The records of 数转通: tables, taxonomy, text normalisation, validation, import/export, audit."""
