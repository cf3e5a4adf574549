/* db/db_service: placeholder until implemented. */
