-- resilops 035: the status write's routine learns whether an outage is
-- open by keys (speed issue 13).
--
-- sql/026's routine asked it with a correlated EXISTS over downtimes,
-- which MariaDB plans again at every execution: on this kind of machine
-- about a sixth of mariadbd's time for a heartbeat.  Now it reads it
-- through the outage summary of sql/027: service_outages.latest_downtime
-- names the latest open downtime when one is open (src/db/db_outages.c,
-- kept in the same transaction by every writer that opens or closes
-- one), so a join of three rows by key (the status, the summary, that
-- downtime) answers it; MariaDB reads such rows once while planning.
-- Everything else, what it answers and the transaction it leaves are
-- 026's.

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
	-- 026's upsert, unchanged: it reads the service's row with a shared
	-- lock first, which every writer that locks that row and then this
	-- status row (a service's delete) or the downtimes (a downtime
	-- logged by hand: the row, then the downtimes' AUTO-INC lock) counts
	-- on.  An UPDATE by key alone deadlocked with the latter when the
	-- foreign key's check of a downtime this write opened came to the
	-- service's row last (test_concurrency, 1467 "Failed to read
	-- auto-increment value").
	INSERT INTO service_status (service_id, status, last_updated,
	    changed_at, set_by)
	SELECT id, p_status, p_now, p_now, p_by FROM services WHERE id = p_id
	ON DUPLICATE KEY UPDATE
	    changed_at = IF(status = VALUES(status), changed_at,
		VALUES(changed_at)),
	    prev_status = status, status = VALUES(status),
	    last_updated = VALUES(last_updated), set_by = VALUES(set_by);
	-- The row is ours (locked) until the end of the transaction.
	SELECT COUNT(*), MAX(s.prev_status),
	    COALESCE(MAX(d.id IS NOT NULL AND d.end_time IS NULL), 0)
	INTO v_n, v_prev, v_open
	FROM service_status s
	LEFT JOIN service_outages o ON o.service_id = s.service_id
	LEFT JOIN downtimes d ON d.id = o.latest_downtime
	WHERE s.service_id = p_id;
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
