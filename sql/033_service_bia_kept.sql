-- resilops 033: each service's BIA kept on its own row (speed issue 13).
--
-- Every read of services (the list, one service, its health, the
-- status page) joined bia by primary key for each row: 1.5-1.6 us of
-- mariadbd a row on this machine, 155 of a page of 100's 425-490 us
-- (mariadb-slap).  As with sql/022's summaries, the table stays the
-- truth and its writers copy what they wrote onto the service's row
-- in the transaction of their change, under the service's row lock
-- they already hold (src/db/db_service.c db_bia_keep; resilops-admin
-- import, db_import.c).  The columns mirror bia's, collation too (bia
-- has utf8mb4's default, services utf8mb4_unicode_ci): a copy compares
-- equal to its source.  A service with no BIA has bia_set 0 and NULL
-- in the others, as the LEFT JOIN gave.
ALTER TABLE services
	ADD COLUMN bia_set TINYINT(1) NOT NULL DEFAULT 0,
	ADD COLUMN bia_criticality VARCHAR(10)
	    CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL,
	ADD COLUMN bia_impact VARCHAR(10)
	    CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL,
	ADD COLUMN bia_rto INT UNSIGNED NULL,
	ADD COLUMN bia_rpo INT UNSIGNED NULL,
	ADD COLUMN bia_signed_off TINYINT(1) NULL,
	ADD COLUMN bia_signed_off_by VARCHAR(255)
	    CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL,
	ADD COLUMN bia_signed_off_at DATETIME NULL;

UPDATE services s JOIN bia b ON b.service_id = s.id SET
	s.bia_set = 1, s.bia_criticality = b.criticality,
	s.bia_impact = b.impact, s.bia_rto = b.rto, s.bia_rpo = b.rpo,
	s.bia_signed_off = b.signed_off, s.bia_signed_off_by = b.signed_off_by,
	s.bia_signed_off_at = b.signed_off_at;
