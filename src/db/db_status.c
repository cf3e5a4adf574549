/* db/db_status: placeholder until implemented. */
