/*
 * Strict JSON input.  json-c 0.16 accepts trailing garbage and lets
 * get_int read "123abc" or true as numbers: everything that reads a
 * request body goes through here and through core/validate.
 */
#ifndef RO_JSON_H
#define RO_JSON_H

#include <stddef.h>
#include <json-c/json.h>

#define JSON_DEPTH_MAX 32

/*
 * Parse buf[0..len) strictly: the whole input must be one JSON value in
 * valid UTF-8, nested at most JSON_DEPTH_MAX deep, no NUL bytes.  An
 * empty or whitespace-only body parses as {}.  Returns a new object
 * owned by the caller (json_object_put), or NULL if the input is not
 * valid JSON.  Also refused: strings or keys holding \u0000, 'single'
 * quotes, NaN and Infinity, and a bare null (json-c has no object for
 * it).  A number out of a double's range parses as an infinite double.
 */
struct json_object *json_parse_strict(const char *buf, size_t len);

/* Serialise compactly; the string belongs to obj. */
const char *json_text(struct json_object *obj, size_t *len);

/*
 * Building a tree without a check per step (json-c's constructors
 * return NULL out of memory, and its add functions fail): json_add puts
 * val under key in o, json_push appends val to the array a.  Either
 * takes val's reference whatever happens (put on failure) and returns
 * -1 when o (a) or val is NULL or the add fails, so a builder ORs the
 * results and checks once.  A JSON null goes in with json_add_null.
 */
int	 json_add(struct json_object *o, const char *key,
	    struct json_object *val);
int	 json_add_null(struct json_object *o, const char *key);
/* The string s under key, or null for a NULL s; -1 as json_add. */
int	 json_add_string(struct json_object *o, const char *key,
	    const char *s);
int	 json_push(struct json_object *a, struct json_object *val);
/*
 * A builder's last step: o when bad is 0, else NULL with o put (a tree
 * goes whole or not at all).
 */
struct json_object *json_done(struct json_object *o, int bad);

#endif
