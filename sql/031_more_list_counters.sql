-- resilops 031: the total of the incident list from a kept counter, as
-- the alerts' are (029), and the index that pages a user's notifications
-- without walking everybody's (issue "Speed").
--
-- Until now each page of that list counted its whole table.  The writers
-- keep this row through db_count (db/db.c), written just before COMMIT:
-- an incident's create and delete, the daemon's drafts too.  No cascade
-- deletes an incident: it references no service, its links do.
-- `resilops-admin recount` counts it again from the table, after a
-- change by hand in SQL.
--   incidents		rows of incidents
INSERT INTO counters (name, n) SELECT 'incidents', COUNT(*) FROM incidents;

-- A user's notifications newest first, read and unread alike, without
-- walking everybody's (db/db_notify.c).
ALTER TABLE notifications ADD KEY IF NOT EXISTS ix_notifications_user_id
	(user_id, id);
