"""合同档案: rendering, decisions and the committee pack."""
