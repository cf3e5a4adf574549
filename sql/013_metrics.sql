-- resilops 013: what /metrics reads of the daemon.  resilops-sched
-- records each job's last run here (in the job's own transaction when
-- it succeeds), so a scrape of any web worker can report job durations
-- and how long ago each job last succeeded without asking the daemon.
CREATE TABLE sched_job_runs (
	job		VARCHAR(32) NOT NULL PRIMARY KEY,
	runs		BIGINT UNSIGNED NOT NULL DEFAULT 0,
	failures	BIGINT UNSIGNED NOT NULL DEFAULT 0,
	last_run_at	DATETIME(3) NOT NULL,
	last_success_at	DATETIME(3) NULL,
	last_duration_ms INT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
