/* db/db_integration: placeholder until implemented. */
