/*
 * Strict JSON input and compact output over json-c 0.16.  Its plain
 * parser accepts trailing garbage; even in strict mode the tokener
 * decodes \u0000 into strings (and silently cuts object keys at it),
 * reads 'single' quotes, NaN and Infinity, passes invalid UTF-8 through,
 * and its depth limit counts a scalar leaf as a level.  The checks
 * around it make a body either one well-formed UTF-8 value nested at
 * most JSON_DEPTH_MAX containers deep, or refused (TRAPS.md, json-c).
 * A number too large for a double (1e309) is valid JSON: it parses (as
 * an infinite double) and the field's validator refuses it by name.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <json-c/json.h>

#include "util/json.h"
#include "util/utf8.h"

static bool
json_space(char c)
{

	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
json_blank(const char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!json_space(buf[i]))
			return false;
	return true;
}

/*
 * Letters JSON allows outside strings: those of true, false and null,
 * and the exponent of a number.  json-c also reads NaN, Infinity and
 * -Infinity, whose letters are not all here.
 */
static bool
json_literal_letter(char c)
{

	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return true;
	return strchr("truefalsnE", c) != NULL;
}

/*
 * What the tokener lets through even with JSON_TOKENER_STRICT: the
 * escape \u0000 (the only way to see a NUL in an object key, since
 * json-c cuts the key at it before we get to look), single-quoted
 * strings and the NaN and Infinity literals.  The tokener has accepted
 * the text, so tracking double-quoted strings and their escapes is
 * enough; a single quote outside them can only open a single-quoted
 * string.
 */
static bool
json_raw_ok(const char *buf, size_t len)
{
	size_t	 i;
	bool	 in_string = false;

	for (i = 0; i < len; i++) {
		if (!in_string) {
			if (buf[i] == '\'' || !json_literal_letter(buf[i]))
				return false;
			in_string = buf[i] == '"';
		} else if (buf[i] == '"')
			in_string = false;
		else if (buf[i] == '\\' && i + 1 < len) {
			if (buf[i + 1] == 'u' && len - i >= 6 &&
			    memcmp(buf + i + 2, "0000", 4) == 0)
				return false;
			i++;
		}
	}
	return true;
}

/*
 * Containers nested at most JSON_DEPTH_MAX deep ({} is 1, [[]] is 2),
 * no string value holding a NUL, no NaN.  An infinite double can only
 * come from a number literal out of range (json_raw_ok refused the
 * Infinity literal): it stays, for the field's validator to refuse.
 * The recursion is bounded: the tokener already refused anything
 * deeper than JSON_DEPTH_MAX + 1.
 */
static bool
json_tree_ok(struct json_object *o, int depth)
{
	size_t	 i, n;

	switch (json_object_get_type(o)) {
	case json_type_string:
		return (size_t)json_object_get_string_len(o) ==
		    strlen(json_object_get_string(o));
	case json_type_double:
		return !isnan(json_object_get_double(o));
	case json_type_object:
		if (depth >= JSON_DEPTH_MAX)
			return false;
		{
			json_object_object_foreach(o, key, val) {
				(void)key;
				if (!json_tree_ok(val, depth + 1))
					return false;
			}
		}
		return true;
	case json_type_array:
		if (depth >= JSON_DEPTH_MAX)
			return false;
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!json_tree_ok(json_object_array_get_idx(o, i),
			    depth + 1))
				return false;
		return true;
	default:
		return true;
	}
}

struct json_object *
json_parse_strict(const char *buf, size_t len)
{
	struct json_tokener	*tok;
	struct json_object	*obj = NULL;
	enum json_tokener_error	 jerr;
	size_t			 end;

	if (buf == NULL)
		len = 0;
	if (len == 0 || json_blank(buf, len))
		return json_object_new_object();
	/* A body must be UTF-8 (RFC 8259); this also refuses NUL bytes. */
	if (len >= INT_MAX || !utf8_valid(buf, len, NULL))
		return NULL;

	/* One more level than containers: json-c counts the scalar leaf. */
	if ((tok = json_tokener_new_ex(JSON_DEPTH_MAX + 1)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);

	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (obj == NULL && jerr == json_tokener_continue) {
		/*
		 * A number or literal at the very end has no terminator of
		 * its own: feed the end of input as the tokener asks.
		 */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	if (obj == NULL || jerr != json_tokener_success)
		goto bad;
	if (end > len || !json_blank(buf + end, len - end))
		goto bad;
	if (!json_raw_ok(buf, len) || !json_tree_ok(obj, 0))
		goto bad;
	json_tokener_free(tok);
	return obj;
bad:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}

const char *
json_text(struct json_object *obj, size_t *len)
{
	size_t	 n;

	return json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
	    len != NULL ? len : &n);
}

int
json_add(struct json_object *o, const char *key, struct json_object *val)
{
	if (o == NULL || val == NULL ||
	    json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int
json_add_null(struct json_object *o, const char *key)
{
	return o == NULL || json_object_object_add(o, key, NULL) != 0 ? -1 : 0;
}

int
json_add_string(struct json_object *o, const char *key, const char *s)
{
	return s == NULL ? json_add_null(o, key) :
	    json_add(o, key, json_object_new_string(s));
}

int
json_push(struct json_object *a, struct json_object *val)
{
	if (a == NULL || val == NULL || json_object_array_add(a, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

struct json_object *
json_done(struct json_object *o, int bad)
{
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
