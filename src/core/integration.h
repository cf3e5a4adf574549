/* core/integration: placeholder. */
