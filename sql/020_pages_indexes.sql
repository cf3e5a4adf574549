-- resilops 020: the public pages read the maintenance windows that have
-- not ended (a range of ends_at) instead of every window ever held: at
-- two years of windows, 2,006 rows examined for the 6 going on or to
-- come.
ALTER TABLE maintenance ADD KEY ix_maintenance_ends (ends_at);
