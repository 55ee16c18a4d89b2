"""Who may sign in and open what: the page gate, sign-in, sessions, the HTTP layer, users, audit."""
