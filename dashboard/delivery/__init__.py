"""Messages that leave the portal: alert e-mails, the sender and the scheduler (no Streamlit)."""
