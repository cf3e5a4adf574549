-- resilops 018: the risk job scores only the services whose inputs
-- changed, or whose 7-day downtime verdict may differ at its --now.
--
-- Until now every tick scored every service (0.85 s at 100,000 when
-- nothing had changed).  risk_state keeps, per service, a generation of
-- its risk inputs (gen) and the generation its last score was made from
-- (done_gen).  The inputs: the service's BIA, dependencies,
-- integrations, downtimes, its status and its dependencies' status
-- (only across Down, the one value that scores), and the automated
-- record the API's save route adds (the job compares with the latest
-- one).  A rename is not an input: names reach only the texts of new
-- records.
--
-- No triggers: with binary logging on, CREATE TRIGGER needs SUPER
-- unless log_bin_trust_function_creators is set (error 1419), which an
-- account with ALL ON resilops.* does not have; and a trigger on
-- service_status runs on every heartbeat.  The writers of an input bump
-- gen themselves, in the transaction of the change, with one statement
-- from src/db/db_riskstate.c; a plain heartbeat sends none.  A service
-- gets its row when it is created (the API, resilops-admin import).
--
-- Time is the other input: the 7-day downtime factor changes as --now
-- moves.  The job stores the span [valid_from, valid_until) around its
-- --now over which that factor keeps its verdict (src/core/riskwindow),
-- and scores again when a --now falls outside it, earlier or later.
-- So there is no watermark: an earlier --now is scored as of itself.

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

-- Every service starts stale: the first tick scores it.
INSERT INTO risk_state (service_id) SELECT id FROM services;
