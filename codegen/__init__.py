"""Contract-driven code generator for the ServiceRadar plugin SDK.

load (loader.py) -> check (check.py, schema/) -> resolve (model.py) ->
render (render.py, templates/) ; vectors.py computes the language-neutral
test vectors with the Python reference implementation in reference.py.
"""

GENERATOR_VERSION = "1.0.0"
