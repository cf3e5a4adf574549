-- resilops 004: indexes for resilops-sched's scans (bench/sched.sh).
-- The risk and breach jobs read the outages that are open or ended
-- within a window (end_time IS NULL OR end_time > ?, start_time < ?):
-- with start_time and service_id beside end_time that is a range of
-- this index alone, not a scan of every outage ever logged (a million
-- rows at 100,000 services).  It supersedes ix_downtimes_end, its prefix.
ALTER TABLE downtimes
	ADD KEY ix_downtimes_end_start (end_time, start_time, service_id),
	DROP KEY ix_downtimes_end;
