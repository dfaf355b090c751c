"""The indicator engine: DfE definitions written once as Ibis expressions over the analytical store.

Pure Python and Ibis, no Django: the same expressions compile to DuckDB, PostgreSQL or a
distributed engine's SQL.
"""
