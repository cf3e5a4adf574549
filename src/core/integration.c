/* core/integration: placeholder until implemented. */
