"""Integrations with distributed engines (Ray, Spark, Dask)."""
