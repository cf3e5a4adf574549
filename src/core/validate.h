/*
 * Declared inputs: a route lists its body fields in a table of name,
 * type, flags and bounds; validate_body() checks the lot and yields
 * for each field either "absent" or "present and valid".  Unknown
 * fields are ignored.  All pure; json-c's lax getters are never used
 * on client data (TRAPS.md: get_int reads "12abc" and true as numbers).
 */
#ifndef RO_VALIDATE_H
#define RO_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

enum vtype {
	V_STRING,	/* UTF-8, no NUL; min/max = length in characters */
	V_INT,		/* number or digit string; min/max = range */
	V_BOOL,		/* true/false only */
	V_ENUM,		/* string matched case-insensitively against choices */
	V_TIME,		/* ISO 8601 string (core/isotime) */
	V_INT_ARRAY,	/* array of V_INT elements in [min, max], <= 10000 */
	V_OBJECT,	/* any JSON object */
	V_STRING_ARRAY,	/* array of V_STRING elements (no length bounds) */
	V_TYPE__MAX
};

#define VF_REQUIRED	0x01	/* absent, null or "": error (msg, or "<name> is required") */
#define VF_NULLABLE	0x02	/* explicit null allowed (value.null set) */
#define VF_EMPTY_NULL	0x04	/* "" means null (integer fields of the web client) */
#define VF_BYTES	0x08	/* V_STRING: min/max count bytes, not characters */

/*
 * A username or email (either logs in): one limit, in bytes, so every
 * buffer that holds one (token claims, the request's principal) has
 * room for all of it and nothing is ever cut short mid-character.
 */
#define USERNAME_MAX	255

/*
 * min == max == 0 means no bounds (any length; any int64).  A JSON null
 * or a "" under VF_EMPTY_NULL gives the required message when
 * VF_REQUIRED, else present and null ("" is null even without
 * VF_NULLABLE; a JSON null then is a type error).
 */

struct vfield {
	const char		*name;
	enum vtype		 type;
	unsigned		 flags;
	long long		 min, max;
	const char *const	*choices;	/* V_ENUM: NULL-terminated canonical spellings */
	const char		*msg;		/* message when required and missing */
	const char		*badmsg;	/* message when present but invalid (enum, range, length) */
};

/*
 * A body's fields as a route declares them (struct route's body): the
 * one place a route's table is named, read by the handler's
 * API_VALIDATE and by the fuzzer (tests/fuzz/fuzz_validate.c).
 */
struct vtable {
	const struct vfield	*fields;
	size_t			 n;
};
#define VTABLE(f)	{ (f), sizeof(f) / sizeof((f)[0]) }

struct vvalue {
	bool			 present;	/* the key was in the body */
	bool			 null;		/* present as null (or "" under VF_EMPTY_NULL) */
	long long		 i;		/* V_INT; V_BOOL 0/1; V_ENUM index into choices */
	const char		*s;		/* V_STRING (borrowed from the body); V_ENUM canonical */
	size_t			 len;		/* bytes of s */
	time_t			 t;		/* V_TIME */
	struct json_object	*obj;		/* V_OBJECT, V_INT_ARRAY, V_STRING_ARRAY (borrowed) */
};

/*
 * Check body (must be a JSON object) against fields[0..n) and fill
 * out[0..n).  On the first failure, write the client message (naming
 * the field) into err and return -1; else 0.  out borrows from body.
 */
int	 validate_body(struct json_object *body, const struct vfield *fields,
	    size_t n, struct vvalue *out, char *err, size_t errsz);

/*
 * The scalar validators the table uses, for handlers that read values
 * elsewhere (query strings, array elements).  Each returns 0 if valid.
 */
/* JSON integer (not double, not bool) or a string of digits with an optional '-'. */
int	 valid_int(struct json_object *, long long min, long long max, long long *out);
/* Same rule for a C string (query parameters): digits only, optional '-'. */
int	 valid_int_str(const char *, long long min, long long max, long long *out);
/* 1..USERNAME_MAX bytes of UTF-8, no NUL and no control characters. */
bool	 valid_username(const char *s, size_t len);
/* Index of s in choices, matched case-insensitively, or -1. */
int	 valid_choice(const char *s, const char *const *choices);

/* Whether s is NULL, empty, or white space only (a name or title "   "). */
bool	 valid_blank(const char *s);

#endif
