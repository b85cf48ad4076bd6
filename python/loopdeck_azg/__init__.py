"""Runs alpha-zero-general-style code (a Game class and a network wrapper) under Loopdeck."""
