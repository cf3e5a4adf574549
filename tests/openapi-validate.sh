#!/bin/sh
# make check's OpenAPI validation: htdocs/openapi.json against the
# official OpenAPI 3.1 schema and more (tests/openapi-validate.mjs).  It
# needs Node.js and the npm packages of package.json (`npm ci`): a machine
# without them fails here, it never skips, so a green make check always
# means the document was validated.  RESILOPS_NODE_MODULES names another
# node_modules.  Exit 0 pass, 1 fail, 99 hard error (automake).
set -u
top=$(cd "${srcdir:-$(dirname "$0")/..}" && pwd) || exit 99
if ! command -v node >/dev/null 2>&1; then
	echo "openapi-validate: node not found: apt-get install nodejs npm, then run \`npm ci\` in $top"
	exit 99
fi
exec node "$top/tests/openapi-validate.mjs" "$top/htdocs/openapi.json"
