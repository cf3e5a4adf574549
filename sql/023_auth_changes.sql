-- resilops 023: a count of the changes a token check reads (an
-- account's role, state, password or token generation; a logout), kept
-- by their writers in the same transaction.  Each web host's token
-- cache reads it at most once a second and drops what it kept when it
-- moved: another host's change shows there within a second.
INSERT INTO counters (name, n) VALUES ('auth_changes', 0);
