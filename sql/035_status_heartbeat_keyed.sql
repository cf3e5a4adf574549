-- resilops 035: the status write's routine reads and writes by primary
-- key only (speed issue 13).
--
-- sql/026's routine upserted the status from an INSERT ... SELECT over
-- services and then asked whether an outage is open with a correlated
-- EXISTS over downtimes.  MariaDB plans both again at every execution,
-- and on this kind of machine that planning was a sixth of mariadbd's
-- time for a heartbeat (measured through the mariadb client, 4 clients
-- of 5,000 calls, bench/run.sh's 10,000 services: 342 -> 280-300 us of
-- mariadbd a call; the insert's part about 35, the EXISTS' about 50).
-- Now:
--   the status row is UPDATEd by its key (the row lock as before);
--   whether an outage is open is read through the outage summary of
--   sql/027: service_outages.latest_downtime names the latest open
--   downtime when one is open (src/db/db_outages.c, kept in the same
--   transaction by every writer that opens or closes one), so a join
--   by keys of three rows (the status, the summary, that downtime)
--   answers it; MariaDB reads such rows once while planning;
--   a service that has no status row yet (before its first status
--   write) takes 026's INSERT ... SELECT, which also tells a service
--   that does not exist.
-- What it answers, and the transaction it leaves, are 026's.
DROP PROCEDURE IF EXISTS status_heartbeat;

CREATE PROCEDURE status_heartbeat(
	IN p_id		BIGINT UNSIGNED,
	IN p_status	VARCHAR(10),
	IN p_now	DATETIME,
	IN p_by		VARCHAR(255),
	IN a_user_id	BIGINT UNSIGNED,
	IN a_username	VARCHAR(255),
	IN a_action	VARCHAR(100),
	IN a_entity	VARCHAR(50),
	IN a_ip		VARCHAR(64),
	IN a_agent	VARCHAR(512),
	IN a_details	TEXT,
	IN a_status	SMALLINT)
MODIFIES SQL DATA
SQL SECURITY INVOKER
BEGIN
	DECLARE v_n INT DEFAULT 0;
	DECLARE v_prev VARCHAR(10) DEFAULT NULL;
	DECLARE v_open INT DEFAULT 0;
	DECLARE EXIT HANDLER FOR SQLEXCEPTION
	BEGIN
		ROLLBACK;
		RESIGNAL;
	END;

	START TRANSACTION;
	-- changed_at and prev_status first: the assignments run in order
	-- and read the old status.  Compared as bytes: a status is one of
	-- a few ASCII words, and the parameter's collation (the schema's)
	-- need not be the column's (its table's), which MariaDB refuses to
	-- mix (1267).
	UPDATE service_status SET
	    changed_at = IF(CAST(status AS BINARY) = CAST(p_status AS BINARY),
		changed_at, p_now),
	    prev_status = status, status = p_status, last_updated = p_now,
	    set_by = p_by
	WHERE service_id = p_id;
	SELECT COUNT(*), MAX(s.prev_status),
	    COALESCE(MAX(d.id IS NOT NULL AND d.end_time IS NULL), 0)
	INTO v_n, v_prev, v_open
	FROM service_status s
	LEFT JOIN service_outages o ON o.service_id = s.service_id
	LEFT JOIN downtimes d ON d.id = o.latest_downtime
	WHERE s.service_id = p_id;
	IF v_n = 0 THEN
		-- No status row yet, or no such service: 026's way.
		INSERT INTO service_status (service_id, status, last_updated,
		    changed_at, set_by)
		SELECT id, p_status, p_now, p_now, p_by FROM services
		WHERE id = p_id
		ON DUPLICATE KEY UPDATE
		    changed_at = IF(status = VALUES(status), changed_at,
			VALUES(changed_at)),
		    prev_status = status, status = VALUES(status),
		    last_updated = VALUES(last_updated),
		    set_by = VALUES(set_by);
		SELECT COUNT(*), MAX(s.prev_status), EXISTS(SELECT 1
		    FROM downtimes d WHERE d.service_id = p_id AND
		    d.end_time IS NULL)
		INTO v_n, v_prev, v_open
		FROM service_status s WHERE s.service_id = p_id;
	END IF;
	IF v_n = 0 THEN
		ROLLBACK;
		SELECT 0, NULL, 0;
	ELSEIF v_open <> (p_status = 'Down') OR
	    COALESCE(v_prev = 'Down', 0) <> (p_status = 'Down') THEN
		SELECT 2, v_prev, v_open;
	ELSE
		-- As src/db/db_audit.c's SQL_INSERT: unsealed, no lock taken.
		INSERT INTO audit_log (created_at, user_id, username, action,
		    entity, entity_id, ip, user_agent, details, status)
		VALUES (p_now, a_user_id, a_username, a_action, a_entity, p_id,
		    a_ip, a_agent, a_details, a_status);
		COMMIT;
		SELECT 1, v_prev, v_open;
	END IF;
END;
