/* db/db_alert: placeholder until implemented. */
