/* util/aead: placeholder until implemented. */
