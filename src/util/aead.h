/* util/aead: placeholder. */
