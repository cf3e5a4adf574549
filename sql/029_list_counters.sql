-- resilops 029: the totals of the alert, SLA breach and integration
-- lists from kept counters (issue 13), as the services' and tickets'
-- are (005).
--
-- Until now each page of /api/alerts counted the whole table (155,000
-- alerts: 15 ms of MariaDB per request).  The writers keep these rows in
-- their transactions through db_count (db/db.c), written just before
-- COMMIT: the daemon's alerts and breaches, an escalation's alert, an
-- acknowledgement and a reopening (alerts_open), an integration's add
-- and delete (import's too), a service's delete (which takes its rows
-- out first, so no cascade goes uncounted).  `resilops-admin recount`
-- counts them again from the tables, after a change by hand in SQL.
--   alerts		rows of alerts
--   alerts_open	rows of alerts not acknowledged
--   sla_breaches	rows of sla_breaches
--   integrations	rows of integrations
INSERT INTO counters (name, n) SELECT 'alerts', COUNT(*) FROM alerts;
INSERT INTO counters (name, n)
	SELECT 'alerts_open', COUNT(*) FROM alerts WHERE acknowledged = 0;
INSERT INTO counters (name, n) SELECT 'sla_breaches', COUNT(*) FROM sla_breaches;
INSERT INTO counters (name, n) SELECT 'integrations', COUNT(*) FROM integrations;

-- ?acknowledged= pages newest first without a sort.
ALTER TABLE alerts ADD KEY IF NOT EXISTS ix_alerts_ack_created
	(acknowledged, created_at, id);
