/* db/db_alert: placeholder. */
