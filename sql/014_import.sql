-- resilops 014: what "resilops-admin import" brought over from the
-- originals, so a second run finds each row again and changes nothing.
-- source names the original: "resilientops:<database name>" (the Flask
-- MySQL database) or "slaguard:<absolute path>" (the SQLite file), so
-- two originals with the same ids (ResilientOps and Service Risk) stay
-- apart; source_table and source_id name the original row;
-- target_id is the row it became here (for bia and status: the
-- service's id; for a user merged into an existing account: that
-- account).  Nothing references it: deleting a row here makes the next
-- import bring the original again.

CREATE TABLE import_map (
	source		VARCHAR(255) NOT NULL,
	source_table	VARCHAR(32) NOT NULL,
	source_id	BIGINT NOT NULL,
	target_id	BIGINT UNSIGNED NOT NULL,
	imported_at	DATETIME NOT NULL,
	PRIMARY KEY (source, source_table, source_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
