-- resilops 017: the latest open downtime of a service read from an
-- index in order (health's "downtime"), not sorted: start_time joins
-- the (service_id, end_time) key, whose rows InnoDB orders by id after.
ALTER TABLE downtimes DROP INDEX ix_downtimes_service_end,
	ADD KEY ix_downtimes_service_end (service_id, end_time, start_time);
