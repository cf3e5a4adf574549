-- resilops 034: what must exclude each other across Galera nodes writes
-- one agreed row (scale-out issue 15).
--
-- On one server, SELECT ... FOR UPDATE makes a second transaction wait
-- for the first.  In a Galera cluster a lock is local to the node that
-- took it: a transaction on another node neither waits for it nor
-- conflicts with it, since certification compares only the rows each
-- transaction wrote.  So two transactions that must not both commit
-- now each change one row both know, and the one certified second is
-- refused (ERROR 1213 at COMMIT) and run again, when it sees the first.
--
-- write_serial: the first-admin rule and the dependency cycle check
-- (api_begin_serial) were serialised by locking audit_head's row;
-- they now add one to this row's n (and on one server wait on its lock
-- as before).
CREATE TABLE write_serial (
	id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	n BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;
INSERT INTO write_serial (id, n) VALUES (1, 0);

-- sched_lease.fences: a job's transaction checked the lease with a
-- locking read; it now adds one to fences in the same statement, so
-- that a takeover by a daemon on another node (which writes the lease
-- row too) and a job of the old leader cannot both commit.
ALTER TABLE sched_lease
	ADD COLUMN fences BIGINT UNSIGNED NOT NULL DEFAULT 0;
