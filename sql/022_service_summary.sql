-- resilops 022: a summary of each service's children on its own row
-- (speed issue 13).
--
-- MariaDB plans a prepared statement again on every execution, and each
-- correlated subquery of a service read cost mariadbd 15-50 us a time
-- (10,000 services: the row 27 us; + whether it is in a maintenance
-- window 48; + its dependency ids 37; + its integration count 12),
-- while three more plain columns of services cost 2 us.  So the writers
-- keep the answers here, in the transaction of their change, and every
-- service read takes them as columns.  The tables stay the truth; each
-- writer recomputes what it changed from them in one set-based
-- statement (src/db/db_service.c, db_maintenance.c, db_import.c), and
-- integrations adds and takes one under the service's row lock
-- (db_integration.c).
--
-- deps: the dependency ids, ascending, "3,17,40"; NULL when none.
-- integrations: how many integrations rows the service has.
-- windows: the maintenance windows that had not ended when it was last
-- written, as a JSON array of [starts_at, ends_at] in UNIX seconds;
-- NULL when none.  Whether the service is in maintenance is decided in
-- C as of the reader's now (starts_at <= now < ends_at, the bounds of
-- MAINT_WINDOW_EXISTS; core/maintenance.c maint_windows_active).  A
-- window that ended since stays listed harmlessly until the next write
-- drops it.
ALTER TABLE services
	ADD COLUMN deps TEXT NULL,
	ADD COLUMN integrations INT NOT NULL DEFAULT 0,
	ADD COLUMN windows TEXT NULL;

-- The rows there are, from the tables, as the writers compute them.
UPDATE services s SET
	s.deps = (SELECT GROUP_CONCAT(d.dependency_id ORDER BY d.dependency_id)
	    FROM service_dependencies d WHERE d.service_id = s.id),
	s.integrations = (SELECT COUNT(*) FROM integrations i
	    WHERE i.service_id = s.id),
	s.windows = (SELECT JSON_ARRAYAGG(JSON_ARRAY(
	    TIMESTAMPDIFF(SECOND, '1970-01-01', m.starts_at),
	    TIMESTAMPDIFF(SECOND, '1970-01-01', m.ends_at)))
	    FROM maintenance_services x JOIN maintenance m
	    ON m.id = x.maintenance_id
	    WHERE x.service_id = s.id AND m.ends_at > UTC_TIMESTAMP());
