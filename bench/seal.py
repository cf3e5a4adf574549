#!/usr/bin/env python3
"""The routes suite's subscriber addresses, sealed as the API seals them
(src/api/api_subscribers.c through util/keyring and util/aead): AES-256-GCM
under [secrets] data_key of the stack's config, a random 12-byte IV, the
AAD "subscriber:<id>:address:v<version>", stored as
"v<version>:" + base64(IV | ciphertext | 16-byte tag).  SQL cannot do it,
and the Admin's list opens every address it shows.

	bench/seal.py CONFIG < "id kind" lines > SQL

prints one transaction of UPDATEs: an email subscriber's address is
subscriber-<id>@example.com, a webhook's https://hooks.example.com/<id>.
"""

import base64
import configparser
import os
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def main():
    conf = configparser.ConfigParser(interpolation=None, strict=False)
    conf.read(sys.argv[1])
    version = int(conf["secrets"]["data_key_version"])
    key = AESGCM(bytes.fromhex(conf["secrets"]["data_key"].strip()))
    print("START TRANSACTION;")
    for line in sys.stdin:
        sid, kind = line.split()
        if kind == "webhook":
            addr = "https://hooks.example.com/%s" % sid
        else:
            addr = "subscriber-%s@example.com" % sid
        aad = "subscriber:%s:address:v%d" % (sid, version)
        iv = os.urandom(12)
        sealed = base64.b64encode(iv + key.encrypt(iv, addr.encode(),
                                                   aad.encode())).decode()
        print("UPDATE subscribers SET address_sealed = 'v%d:%s' "
              "WHERE id = %d;" % (version, sealed, int(sid)))
    print("COMMIT;")


if __name__ == "__main__":
    main()
