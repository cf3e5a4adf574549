-- resilops 019: the rollup's window by day.  "rollup" replaces
-- yesterday and today every tick with DELETE ... WHERE day >= ? AND
-- day < ?, which without this key read the whole table in primary key
-- order (service, day): 1.1 million rows at 100,000 services once the
-- 90 days are kept, for the 2 days' 30,000.
ALTER TABLE uptime_daily ADD KEY ix_uptime_daily_day (day);
