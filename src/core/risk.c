/* core/risk: placeholder until implemented. */
