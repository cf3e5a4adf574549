-- resilops 026: the status write (every monitoring agent's heartbeat) in
-- one round trip (speed issue 13).
--
-- A heartbeat is a transaction of two writes: the service's status row
-- and the audit entry every write leaves.  Sent as statements that took
-- four round trips (START TRANSACTION, the upsert, the entry, COMMIT),
-- and on this kind of machine a round trip's context switches cost the
-- worker and mariadbd more than the writes themselves (mariadbd 235 us
-- for the four against 170 for this routine doing the same; the worker
-- saves three sends and waits).  A routine, not a trigger: with binary
-- logging CREATE TRIGGER (and CREATE FUNCTION) need SUPER; a procedure
-- needs no more than the schema's own privileges.  SQL SECURITY INVOKER:
-- it runs with the caller's privileges, whoever created it.
--
-- What it does (src/db/db_status.c calls it; src/api/api_status.c acts
-- on its answer):
--   the status upserted for a service that exists, as the statement it
--   replaces did (changed_at and prev_status first: the assignments run
--   in order and read the old status);
--   then one row back: (outcome, the status replaced, whether an outage
--   is open):
--     0: no such service: rolled back, nothing written;
--     1: a plain heartbeat (no outage to open or close, no move into or
--        out of Down): the audit entry written and COMMITted;
--     2: anything more to do: the transaction is left OPEN with the
--        status written, for the caller to go on (the downtime opened or
--        closed, the risk job's generations, the entry) and commit.
--   Any error rolls back and is raised again.
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
	INSERT INTO service_status (service_id, status, last_updated,
	    changed_at, set_by)
	SELECT id, p_status, p_now, p_now, p_by FROM services WHERE id = p_id
	ON DUPLICATE KEY UPDATE
	    changed_at = IF(status = VALUES(status), changed_at,
		VALUES(changed_at)),
	    prev_status = status, status = VALUES(status),
	    last_updated = VALUES(last_updated), set_by = VALUES(set_by);
	-- The row is ours (locked) until the end of the transaction.
	SELECT COUNT(*), MAX(s.prev_status), EXISTS(SELECT 1 FROM downtimes d
	    WHERE d.service_id = p_id AND d.end_time IS NULL)
	INTO v_n, v_prev, v_open
	FROM service_status s WHERE s.service_id = p_id;
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
