/* core/uptime: placeholder until implemented. */
