/* db/db_risk: placeholder until implemented. */
