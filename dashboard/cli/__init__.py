"""The `postloan` command line (no Streamlit)."""
