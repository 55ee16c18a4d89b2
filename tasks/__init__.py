"""Work queues (#16): departments, tasks made from triggers, and the rectification ledger."""
