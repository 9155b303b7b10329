"""Benchmarks, run by hand: python bench/<name>.py (see README, Performance)."""
