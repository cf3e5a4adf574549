-- resilops 015: audit entries are appended without waiting, sealed into
-- the chain afterwards.
--
-- Until now every write locked audit_head to take the next id and chain
-- its entry, so writes from every worker and host queued behind one row
-- for the length of their transactions.  Now a write only inserts its
-- entry (id from AUTO_INCREMENT, seq, prev_mac and mac NULL: unsealed)
-- and commits; a sealer (resilops-sched every tick, or resilops-admin
-- audit seal) locks audit_head for a moment, takes the unsealed entries
-- in id order and chains them: seq dense from 1 (a gap in seq is a
-- deleted sealed entry), prev_mac and mac as before, computed over seq.
-- id may now have gaps (a rolled-back write used one); seq may not.
-- Entries already written were sealed under the old scheme with seq ==
-- id, and their macs (computed over id) stay valid as they are.

ALTER TABLE audit_log
	MODIFY id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	ADD COLUMN seq BIGINT UNSIGNED NULL AFTER id,
	MODIFY prev_mac BINARY(32) NULL,
	MODIFY mac BINARY(32) NULL;

UPDATE audit_log SET seq = id;

-- The walk in chain order, and the sealer's "seq IS NULL ORDER BY id"
-- (NULLs first in the index, in primary key order).
ALTER TABLE audit_log ADD UNIQUE KEY ux_audit_seq (seq);
