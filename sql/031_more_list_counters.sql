-- resilops 031: the totals of the incident, maintenance and subscriber
-- lists from kept counters, as the alerts' are (029), and the index that
-- pages a user's notifications without walking everybody's (issue
-- "Speed").
--
-- Until now each page of those lists counted its whole table.  The
-- writers keep these rows through db_count (db/db.c), written just
-- before COMMIT: an incident's create and delete (the daemon's drafts
-- too), a window's create and delete, a subscription and its removal.
-- No cascade deletes a counted row: incidents, windows and subscribers
-- reference no service, their links do.  `resilops-admin recount`
-- counts them again from the tables, after a change by hand in SQL.
--   incidents		rows of incidents
--   maintenance	rows of maintenance
--   subscribers	rows of subscribers
INSERT INTO counters (name, n) SELECT 'incidents', COUNT(*) FROM incidents;
INSERT INTO counters (name, n) SELECT 'maintenance', COUNT(*) FROM maintenance;
INSERT INTO counters (name, n) SELECT 'subscribers', COUNT(*) FROM subscribers;

-- A user's notifications newest first, read and unread alike, without
-- walking everybody's (db/db_notify.c).
ALTER TABLE notifications ADD KEY IF NOT EXISTS ix_notifications_user_id
	(user_id, id);
