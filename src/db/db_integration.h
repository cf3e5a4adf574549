/* db/db_integration: placeholder. */
