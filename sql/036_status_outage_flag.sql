-- resilops 036: a plain heartbeat is one UPDATE by key (speed issue 13).
--
-- Each status row says whether its service has an open downtime
-- (outage_open), kept in the same transaction by every writer that opens
-- or closes one: the status write's move, a downtime logged by hand,
-- resilops-sched for lost heartbeats and resilops-admin import, each
-- through src/db/db_outages.c, beside the outage summary of sql/027.
-- Then a heartbeat that changes nothing but its time (the same status,
-- and an outage open exactly when it says Down) is found and written by
-- one UPDATE of that row, with its audit entry: 035's routine read the
-- service's row, upserted the status and joined three rows to learn the
-- same (mariadbd 253-258 -> 193-198 us a call, 4 clients of the
-- mariadb client, 5,000 calls each at random services).  Anything else
-- takes 035's way, unchanged, in a transaction of its own.

-- writes counts the status writes of the row, so that the plain
-- heartbeat's UPDATE always changes it: ROW_COUNT() counts rows changed,
-- and a second heartbeat within the same second would change nothing
-- and go the long way (23% of 20,000 heartbeats at random services
-- through the mariadb client; about 18% of bench/run.sh's, 3,600 a
-- second over 10,000 services).
ALTER TABLE service_status
    ADD COLUMN outage_open TINYINT(1) NOT NULL DEFAULT 0,
    ADD COLUMN writes BIGINT UNSIGNED NOT NULL DEFAULT 0;

UPDATE service_status s SET s.outage_open = EXISTS (SELECT 1
    FROM downtimes d FORCE INDEX (ix_downtimes_service_end)
    WHERE d.service_id = s.service_id AND d.end_time IS NULL);

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
	-- The plain heartbeat.  It takes the status row alone, and then
	-- no other row lock (the audit entry's insert takes none), so no
	-- writer that holds the service's row and then wants this one
	-- (a downtime logged by hand, a service's delete) can be waiting
	-- for us while we wait for it.  Compared as bytes: a status is one
	-- of a few ASCII words, and the parameter's collation (the
	-- schema's) need not be the column's (its table's), which MariaDB
	-- refuses to mix (1267).
	UPDATE service_status SET prev_status = status, last_updated = p_now,
	    set_by = p_by, writes = writes + 1
	WHERE service_id = p_id AND
	    CAST(status AS BINARY) = CAST(p_status AS BINARY) AND
	    outage_open = (p_status = 'Down');
	IF ROW_COUNT() = 1 THEN
		-- As src/db/db_audit.c's SQL_INSERT: unsealed, no lock taken.
		INSERT INTO audit_log (created_at, user_id, username, action,
		    entity, entity_id, ip, user_agent, details, status)
		VALUES (p_now, a_user_id, a_username, a_action, a_entity, p_id,
		    a_ip, a_agent, a_details, a_status);
		COMMIT;
		SELECT 1, p_status, p_status = 'Down';
	ELSE
		-- The UPDATE may hold the status row (repeatable read keeps
		-- the lock of a row it read and did not change): let it go,
		-- so that 035's way takes the service's row first, as every
		-- other writer of both does.
		ROLLBACK;
		START TRANSACTION;
		INSERT INTO service_status (service_id, status, last_updated,
		    changed_at, set_by)
		SELECT id, p_status, p_now, p_now, p_by FROM services
		WHERE id = p_id
		ON DUPLICATE KEY UPDATE
		    changed_at = IF(status = VALUES(status), changed_at,
			VALUES(changed_at)),
		    prev_status = status, status = VALUES(status),
		    last_updated = VALUES(last_updated),
		    set_by = VALUES(set_by), writes = writes + 1;
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
		ELSE
			-- A row made here starts with the flag of the
			-- outages it has (a downtime logged by hand before
			-- the service's first status write).
			UPDATE service_status SET outage_open = v_open
			WHERE service_id = p_id AND outage_open <> v_open;
			IF v_open <> (p_status = 'Down') OR
			    COALESCE(v_prev = 'Down', 0) <>
			    (p_status = 'Down') THEN
				SELECT 2, v_prev, v_open;
			ELSE
				INSERT INTO audit_log (created_at, user_id,
				    username, action, entity, entity_id, ip,
				    user_agent, details, status)
				VALUES (p_now, a_user_id, a_username,
				    a_action, a_entity, p_id, a_ip, a_agent,
				    a_details, a_status);
				COMMIT;
				SELECT 1, v_prev, v_open;
			END IF;
		END IF;
	END IF;
END;
