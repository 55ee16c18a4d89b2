"""The zh/en label catalogue and its entries by subject (no Streamlit)."""
