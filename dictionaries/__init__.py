"""The data files, installed as the package ``cleaner.dictionaries`` (pyproject.toml maps this folder there).

Code reads them through :mod:`cleaner.resources`; nothing to import here.
"""
