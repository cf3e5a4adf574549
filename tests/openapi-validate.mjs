// htdocs/openapi.json is a valid OpenAPI 3.1 document: the official 3.1
// schema (@seriousme/openapi-schema-validator, which also resolves every
// $ref), every Schema Object a valid JSON Schema 2020-12 (the 3.1
// dialect), no 3.0 leftovers that 3.1 would silently read otherwise
// (nullable, a Schema Object's example), unique operationIds, and every
// example valid against the schema it illustrates.  Then it proves it
// can fail: broken copies of the document must each be refused.
//
//	node tests/openapi-validate.mjs [DOCUMENT]
//
// Run by tests/openapi-validate.sh under make check.  Exit 0 pass, 1
// fail, 99 hard error (automake); the packages come from `npm ci`.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const top = join(dirname(fileURLToPath(import.meta.url)), "..");
const file = process.argv[2] || join(top, "htdocs", "openapi.json");
// The packages of package.json, found as Node finds them from this file
// (node_modules here or in a parent directory: make distcheck's unpacked
// tree, inside this one, uses this tree's), or in RESILOPS_NODE_MODULES.
const modules = process.env.RESILOPS_NODE_MODULES;

let Validator, Ajv2020, addFormats, validatorPath;
try {
	const require = createRequire(modules ? join(modules, "resolve-here.js") :
	    import.meta.url);
	validatorPath = require.resolve("@seriousme/openapi-schema-validator");
	({ Validator } = await import(pathToFileURL(validatorPath).href));
	Ajv2020 = require("ajv/dist/2020.js").default;
	addFormats = require("ajv-formats").default;
} catch (e) {
	console.log(`openapi-validate: the npm packages are missing` +
	    (modules ? ` from ${modules}` : "") + ` (${e.code ?? e.message}):` +
	    ` run \`npm ci\` in ${top}`);
	process.exit(99);
}

const DOC_ID = "urn:resilops:openapi";
const SUB_MAP = ["properties", "patternProperties", "$defs", "dependentSchemas"];
const SUB_ONE = ["additionalProperties", "items", "not", "if", "then", "else",
	"contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
	"contentSchema"];
const SUB_LIST = ["allOf", "anyOf", "oneOf", "prefixItems"];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const ptr = (parts) => "#" + parts.map((p) => "/" + String(p)
    .replaceAll("~", "~0").replaceAll("/", "~1")).join("");

// Every Schema Object of the document with its JSON pointer, and every
// example with the pointer of the schema it must satisfy.
function collect(doc) {
	const schemas = [], examples = [];

	function schema(s, at) {
		if (s === null || typeof s !== "object" || Array.isArray(s))
			return;
		schemas.push({ s, at });
		if (Array.isArray(s.examples))
			s.examples.forEach((v, i) => examples.push({ v, at, where: `${ptr(at)}/examples/${i}` }));
		for (const k of SUB_MAP)
			if (s[k] && typeof s[k] === "object")
				for (const name of Object.keys(s[k]))
					schema(s[k][name], [...at, k, name]);
		for (const k of SUB_ONE)
			if (k in s)
				schema(s[k], [...at, k]);
		for (const k of SUB_LIST)
			if (Array.isArray(s[k]))
				s[k].forEach((sub, i) => schema(sub, [...at, k, i]));
	}

	// A parameter, header or media type: its schema and its examples.
	function holder(o, at) {
		if (o === null || typeof o !== "object" || !("schema" in o))
			return;
		const sat = [...at, "schema"];
		if ("example" in o)
			examples.push({ v: o.example, at: sat, where: `${ptr(at)}/example` });
		if (o.examples && typeof o.examples === "object")
			for (const [name, ex] of Object.entries(o.examples))
				if (ex && typeof ex === "object" && "value" in ex)
					examples.push({ v: ex.value, at: sat, where: `${ptr(at)}/examples/${name}` });
	}

	function walk(o, at) {
		if (o === null || typeof o !== "object")
			return;
		if (Array.isArray(o)) {
			o.forEach((v, i) => walk(v, [...at, i]));
			return;
		}
		holder(o, at);
		for (const [k, v] of Object.entries(o)) {
			if (k === "example" || k === "examples" || k.startsWith("x-"))
				continue;
			if (k === "schema")
				schema(v, [...at, k]);
			else if (at.length === 1 && at[0] === "components" && k === "schemas")
				for (const name of Object.keys(v))
					schema(v[name], [...at, k, name]);
			else
				walk(v, [...at, k]);
		}
	}
	walk(doc, []);
	return { schemas, examples };
}

// The problems of one document, as strings; none: valid.
async function problems(doc) {
	const out = [];
	const version = doc && doc.openapi;

	if (typeof version !== "string" || !/^3\.1\.\d+$/.test(version))
		return [`"openapi" is ${JSON.stringify(version)}, not 3.1.x`];
	const res = await new Validator().validate(structuredClone(doc));
	if (!res.valid) {
		const errs = Array.isArray(res.errors) ? res.errors : [res.errors];
		for (const e of errs.slice(0, 20))
			out.push(typeof e === "string" ? e :
			    `OpenAPI 3.1 schema: ${e.instancePath || "/"} ${e.message}` +
			    (e.params ? " " + JSON.stringify(e.params) : ""));
		return out;
	}

	const { schemas, examples } = collect(doc);
	const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
	addFormats(ajv);
	for (const { s, at } of schemas) {
		if (!ajv.validateSchema(s))
			out.push(`${ptr(at)}: not a JSON Schema 2020-12: ` + ajv.errorsText(ajv.errors));
		if ("nullable" in s)
			out.push(`${ptr(at)}: "nullable" is OpenAPI 3.0; 3.1 says type: [..., "null"]`);
		if ("example" in s)
			out.push(`${ptr(at)}: a Schema Object's "example" is OpenAPI 3.0; 3.1 says "examples": [...]`);
	}
	if (out.length > 0)
		return out;

	const ids = new Map();
	for (const [path, item] of Object.entries(doc.paths ?? {}))
		for (const m of METHODS) {
			const id = item?.[m]?.operationId;
			if (id === undefined)
				continue;
			if (ids.has(id))
				out.push(`operationId ${id}: ${ids.get(id)} and ${m} ${path}`);
			ids.set(id, `${m} ${path}`);
		}

	try {
		ajv.addSchema(doc, DOC_ID);
	} catch (e) {
		return [...out, `cannot load the document's schemas: ${e.message}`];
	}
	const compiled = new Map();
	for (const { v, at, where } of examples) {
		const key = ptr(at);
		let validate = compiled.get(key);
		if (validate === undefined) {
			try {
				validate = ajv.compile({ $ref: DOC_ID + key });
			} catch (e) {
				out.push(`${key}: does not compile: ${e.message}`);
				validate = null;
			}
			compiled.set(key, validate);
		}
		if (validate && !validate(v))
			out.push(`${where}: the example does not match its schema: ` +
			    ajv.errorsText(validate.errors));
	}
	return out;
}

// Broken copies, each of which a real validator must refuse.
const broken = [
	["a 3.0 nullable", (d) => { d.components.schemas.Error.properties.error.nullable = true; }],
	["a boolean exclusiveMinimum (3.0)", (d) => { d.components.schemas.Error.properties.error.exclusiveMinimum = true; }],
	["an unknown type", (d) => { d.components.schemas.Error.properties.error.type = "text"; }],
	["a response without description", (d) => { delete Object.values(d.paths)[0].get.responses["200"].description; }],
	["info without title", (d) => { delete d.info.title; }],
	["a dangling $ref", (d) => { Object.values(d.paths)[0].get.responses["200"] = { $ref: "#/components/responses/NoSuchResponse" }; }],
	["a parameter without \"in\"", (d) => { delete d.components.parameters[Object.keys(d.components.parameters)[0]].in; }],
	["an unknown top-level field", (d) => { d.swagger_ui = true; }],
	["openapi 3.0.3", (d) => { d.openapi = "3.0.3"; }],
	["an example that breaks its schema", (d) => { d.components.schemas.Error.properties.error.examples = [42]; }],
];

let doc;
try {
	doc = JSON.parse(readFileSync(file, "utf-8"));
} catch (e) {
	console.log(`openapi-validate: ${file}: ${e.message}`);
	process.exit(1);
}

let failed = 0;
const found = await problems(doc);
if (found.length === 0) {
	console.log(`ok   ${file}: valid OpenAPI ${doc.openapi}` +
	    ` (validator: ${dirname(validatorPath)})`);
} else {
	for (const p of found)
		console.log(`FAIL ${file}: ${p}`);
	failed++;
}
for (const [what, breakIt] of broken) {
	const copy = structuredClone(doc);
	try {
		breakIt(copy);
	} catch (e) {
		console.log(`FAIL cannot make a copy with ${what}: ${e.message}`);
		failed++;
		continue;
	}
	const p = await problems(copy);
	if (p.length > 0) {
		console.log(`ok   refused: ${what} (${p[0].slice(0, 120)})`);
	} else {
		console.log(`FAIL accepted a document with ${what}`);
		failed++;
	}
}
process.exit(failed ? 1 : 0);
