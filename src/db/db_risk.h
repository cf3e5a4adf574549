/* db/db_risk: placeholder. */
