"""Packages generated from openapi/*.yaml by generator/generate.py; never edited by hand."""
