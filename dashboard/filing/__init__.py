"""监管报送: the filing page's view, workflow panel, history and workbooks."""
