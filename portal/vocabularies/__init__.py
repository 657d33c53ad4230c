"""Official vocabularies, kept as data (`data/`, with their sources in data/SOURCES.md) and read
once per process: ISTAT's comuni, ATECO 2025, the controlled list of target groups, and the
rules of Italian internships (types, maximum durations, regional minimum allowances).

Forms, facets, the demo data and the API use these modules, so a value that is not in a
vocabulary cannot be saved and a filter cannot be misspelt.
"""
