-- resilops 029: the names of each service's dependencies that are Down,
-- on its own row (speed issue 13).
--
-- Health and the risk routes joined them at every request (the edges,
-- each dependency's status, its name): 50 us of mariadbd for the join
-- alone, planned again at every execution, about as much as the rest
-- of health's statement.  They change only when a dependency's status
-- moves into or out of Down, when the dependencies are edited, and
-- when a dependency is renamed or deleted; each of those writers
-- rewrites the rows it touched, from the tables, in its transaction
-- (src/db/db_service.c, src/db/db_riskstate.c, src/db/db_import.c).
--
-- down_deps: a JSON array of [id, name] of its dependencies whose
-- status is Down, in no order (the reader sorts by id); NULL when none.
ALTER TABLE services ADD COLUMN down_deps TEXT NULL;

UPDATE services s SET s.down_deps = (SELECT JSON_ARRAYAGG(JSON_ARRAY(t.id,
    t.name)) FROM service_dependencies d STRAIGHT_JOIN service_status ds
    ON ds.service_id = d.dependency_id AND ds.status = 'Down'
    STRAIGHT_JOIN services t ON t.id = d.dependency_id
    WHERE d.service_id = s.id);
