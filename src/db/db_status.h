/* db/db_status: placeholder. */
