"""The demand forecast (issue 17, ADR 0029): a monthly stock-and-flow model of children looked after and children
on child protection plans, estimated from the store's returns.

Pure Python, NumPy and Ibis, no Django, like the indicator engine: `counts` reads what the model needs from the
store (DuckDB or PostgreSQL), `model` fits and simulates, `backtest` measures it against the years that happened.
"""
