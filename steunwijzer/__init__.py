"""Steunwijzer core: funding for informal networks. Pure Python; never imports streamlit."""

__version__ = "0.1.0"
