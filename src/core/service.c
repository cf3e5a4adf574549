/* core/service: placeholder until implemented. */
