/* core/depgraph: placeholder until implemented. */
