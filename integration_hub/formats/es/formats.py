# Spanish as written in the United States: $4,300.00 and 52.9 %, as on US forms and
# bank statements (Django's "es" writes 4 300,00, the European way). Dates stay Spanish.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
