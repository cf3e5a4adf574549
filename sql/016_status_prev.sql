-- resilops 016: the status a service had before its latest write.
-- A status write is one statement that upserts the status and returns,
-- with RETURNING, what the write must act on (the status being left,
-- and whether an outage is open): no locking read before it.  RETURNING
-- gives the row as written, so the row keeps the status it replaced.
ALTER TABLE service_status ADD COLUMN prev_status VARCHAR(10) NULL AFTER status;
