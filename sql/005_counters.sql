-- resilops 005: exact row counts that lists report (X-Total-Count)
-- without counting the table on every request.  Kept in the same
-- transaction as the inserts and deletes they count.
CREATE TABLE counters (
	name		VARCHAR(32) NOT NULL PRIMARY KEY,
	n		BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO counters (name, n) SELECT 'services', COUNT(*) FROM services;
