-- resilops 018: the risk job scores only the services whose inputs
-- changed, or whose 7-day downtime verdict may differ at its --now.
--
-- Until now every tick scored every service (0.85 s at 100,000 when
-- nothing had changed).  risk_state keeps, per service, a generation of
-- its risk inputs and the generation its last score was made from; the
-- triggers below bump the generation in the very statement that changes
-- an input, whoever sends it (the API, the daemon, resilops-admin
-- import, an operator's SQL), so no worker sends one more statement.
-- The inputs: the service's BIA, dependencies, integrations, downtimes,
-- its status and its dependencies' status (only across Down, the one
-- value that scores), and the automated record the API's save route
-- adds (the job compares with the latest one).  A rename is not an
-- input: names reach only the texts of new records.
--
-- Time is the other input: the 7-day downtime factor changes as --now
-- moves.  The job stores the span [valid_from, valid_until) around its
-- --now over which that factor keeps its verdict (src/core/riskwindow),
-- and scores again when a --now falls outside it, earlier or later.
-- So there is no watermark: an earlier --now is scored as of itself.
-- Foreign key cascades fire no trigger, hence the BEFORE DELETE on
-- services for the dependents of a deleted service.

CREATE TABLE risk_state (
	service_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	gen		BIGINT UNSIGNED NOT NULL DEFAULT 1,
	done_gen	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	valid_from	DATETIME NULL,
	valid_until	DATETIME NULL,
	stale		TINYINT(1) AS (gen <> done_gen) PERSISTENT,
	KEY ix_risk_state_stale (stale),
	KEY ix_risk_state_from (valid_from),
	KEY ix_risk_state_until (valid_until),
	CONSTRAINT fk_risk_state_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB;

INSERT INTO risk_state (service_id) SELECT id FROM services;

-- A reused id (a restore, a TRUNCATE with checks off) starts stale too.
CREATE TRIGGER tr_risk_service_add AFTER INSERT ON services FOR EACH ROW
	INSERT INTO risk_state (service_id) VALUES (NEW.id)
	ON DUPLICATE KEY UPDATE gen = gen + 1;
CREATE TRIGGER tr_risk_service_del BEFORE DELETE ON services FOR EACH ROW
	UPDATE risk_state r JOIN service_dependencies d
	    ON d.service_id = r.service_id
	SET r.gen = r.gen + 1 WHERE d.dependency_id = OLD.id;

CREATE TRIGGER tr_risk_bia_add AFTER INSERT ON bia FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = NEW.service_id;
CREATE TRIGGER tr_risk_bia_set AFTER UPDATE ON bia FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = NEW.service_id;
CREATE TRIGGER tr_risk_bia_del AFTER DELETE ON bia FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = OLD.service_id;

CREATE TRIGGER tr_risk_dep_add AFTER INSERT ON service_dependencies
    FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = NEW.service_id;
CREATE TRIGGER tr_risk_dep_del AFTER DELETE ON service_dependencies
    FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = OLD.service_id;

CREATE TRIGGER tr_risk_integration_add AFTER INSERT ON integrations
    FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = NEW.service_id;
CREATE TRIGGER tr_risk_integration_del AFTER DELETE ON integrations
    FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = OLD.service_id;

CREATE TRIGGER tr_risk_downtime_add AFTER INSERT ON downtimes FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = NEW.service_id;
CREATE TRIGGER tr_risk_downtime_set AFTER UPDATE ON downtimes FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1
	WHERE service_id IN (OLD.service_id, NEW.service_id);
CREATE TRIGGER tr_risk_downtime_del AFTER DELETE ON downtimes FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = OLD.service_id;

-- Every heartbeat updates its status row: only a move into or out of
-- Down touches risk_state (the service and those that depend on it),
-- so a heartbeat locks nothing more than before.
CREATE PROCEDURE risk_status_moved(sid BIGINT UNSIGNED)
BEGIN
	UPDATE risk_state SET gen = gen + 1 WHERE service_id = sid;
	UPDATE risk_state r JOIN service_dependencies d
	    ON d.service_id = r.service_id
	SET r.gen = r.gen + 1 WHERE d.dependency_id = sid;
END;
CREATE TRIGGER tr_risk_status_add AFTER INSERT ON service_status FOR EACH ROW
	IF NEW.status = 'Down' THEN
		CALL risk_status_moved(NEW.service_id);
	END IF;
CREATE TRIGGER tr_risk_status_set AFTER UPDATE ON service_status FOR EACH ROW
	IF (OLD.status = 'Down') <> (NEW.status = 'Down') THEN
		CALL risk_status_moved(NEW.service_id);
	END IF;

-- The job's own records bump it too; it counts them (db_sched.c).
CREATE TRIGGER tr_risk_record_add AFTER INSERT ON risks FOR EACH ROW
	UPDATE risk_state SET gen = gen + 1
	WHERE service_id = NEW.service_id AND NEW.source = 'automated';
