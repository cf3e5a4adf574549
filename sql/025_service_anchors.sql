-- resilops 025: where each stretch of 32 services starts, in id order, so
-- that a page of the services list past the first starts from a kept
-- anchor instead of walking the primary key from the first service
-- (speed issue 13: page 100 of 10,000 services walked 5,000 entries,
-- 0.35 ms of mariadbd on every such request).
--
-- Row k holds the id of the service at position 32k (0-based, ascending
-- id): the page at offset o starts o mod 32 services after anchor
-- o div 32.  Kept exact in the transaction of every insert and delete
-- of services (src/db/db_service.c), which take the services counter's
-- row lock first, so that ids are handed out, and anchors moved, one
-- writer at a time:
--   an insert (always the highest id) appends an anchor when the count
--   it made is 32k + 1;
--   a delete moves every anchor at or after the id it removed to the
--   next id, and drops the anchors the shorter table no longer reaches;
--   an import writes them all again at its end (db_import.c).
-- The stride is SERVICE_ANCHOR_STRIDE in src/db/db_service.h.
CREATE TABLE service_anchors (
	k		INT UNSIGNED NOT NULL PRIMARY KEY,
	id		BIGINT UNSIGNED NOT NULL,
	KEY ix_service_anchors_id (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO service_anchors (k, id)
SELECT (x.rn - 1) DIV 32, x.id FROM (SELECT id,
    ROW_NUMBER() OVER (ORDER BY id) AS rn FROM services) x
WHERE (x.rn - 1) MOD 32 = 0;
