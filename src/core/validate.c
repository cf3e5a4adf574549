/*
 * The declarative validator: each route's body is checked against a
 * table of struct vfield, and the scalar validators behind it.  Client
 * values are read by type, never through json-c's lax getters, and
 * every message names the field (CONTRACT sections 1 and 9).
 */
#include "config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/isotime.h"
#include "core/validate.h"
#include "util/utf8.h"

#define VALIDATE_ARRAY_MAX	10000

/* How a value failed: wrong form, or a well-formed value out of bounds. */
enum vresult {
	VR_OK,
	VR_TYPE,
	VR_RANGE,
};

/* "<field> must be <noun>" when the JSON type is wrong. */
static const char *const vtype_noun[] = {
	[V_STRING] = "a string",
	[V_INT] = "an integer",
	[V_BOOL] = "a boolean",
	[V_ENUM] = "a string",
	[V_TIME] = "a string",
	[V_INT_ARRAY] = "an array of integers",
	[V_OBJECT] = "an object",
	[V_STRING_ARRAY] = "an array of strings",
};
static_assert(sizeof(vtype_noun) / sizeof(vtype_noun[0]) == V_TYPE__MAX,
    "vtype_noun must name every enum vtype");

static int
verr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errsz > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Optional '-', then one or more ASCII digits, nothing else; in [min, max]. */
static enum vresult
int_from_str(const char *s, long long min, long long max, long long *out)
{
	const char	*p = s;
	long long	 v;

	if (s == NULL)
		return VR_TYPE;
	if (*p == '-')
		p++;
	if (*p == '\0')
		return VR_TYPE;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return VR_TYPE;
	/* Digits to the end: strtoll reads them all, only range can fail. */
	errno = 0;
	v = strtoll(s, NULL, 10);
	if (errno == ERANGE || v < min || v > max)
		return VR_RANGE;
	*out = v;
	return VR_OK;
}

/*
 * A JSON integer or a digit string.  json-c saturates integers that do
 * not fit in int64 (and keeps up to UINT64_MAX apart): INT64_MIN and
 * anything from INT64_MAX up cannot be told from an overflow, so they
 * count as out of range.
 */
static enum vresult
int_from_json(struct json_object *o, long long min, long long max,
    long long *out)
{
	const char	*s;
	int64_t		 v;

	switch (json_object_get_type(o)) {
	case json_type_int:
		v = json_object_get_int64(o);
		if (v == INT64_MIN || v == INT64_MAX || v < min || v > max)
			return VR_RANGE;
		*out = v;
		return VR_OK;
	case json_type_string:
		s = json_object_get_string(o);
		if ((size_t)json_object_get_string_len(o) != strlen(s))
			return VR_TYPE;
		return int_from_str(s, min, max, out);
	default:
		return VR_TYPE;
	}
}

int
valid_int(struct json_object *o, long long min, long long max,
    long long *out)
{
	long long	 v;

	if (int_from_json(o, min, max, &v) != VR_OK)
		return -1;
	if (out != NULL)
		*out = v;
	return 0;
}

int
valid_int_str(const char *s, long long min, long long max, long long *out)
{
	long long	 v;

	if (int_from_str(s, min, max, &v) != VR_OK)
		return -1;
	if (out != NULL)
		*out = v;
	return 0;
}

/* A JSON string of valid UTF-8 without NUL; its length in characters. */
static bool
str_from_json(struct json_object *o, const char **s, size_t *len,
    size_t *nchars)
{

	if (!json_object_is_type(o, json_type_string))
		return false;
	*s = json_object_get_string(o);
	*len = (size_t)json_object_get_string_len(o);
	return utf8_valid(*s, *len, nchars);
}

/* ASCII-only case folding: locale-independent, other bytes exact. */
static int
ascii_lower(int c)
{

	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
valid_choice(const char *s, const char *const *choices)
{
	const char	*a, *b;
	int		 i;

	if (s == NULL || choices == NULL)
		return -1;
	for (i = 0; choices[i] != NULL; i++) {
		for (a = s, b = choices[i]; *a != '\0' && *b != '\0'; a++, b++)
			if (ascii_lower((unsigned char)*a) !=
			    ascii_lower((unsigned char)*b))
				break;
		if (*a == '\0' && *b == '\0')
			return i;
	}
	return -1;
}

/* "Invalid <field>: must be one of A, B, C", cut short if err is. */
static int
enum_err(const struct vfield *f, char *err, size_t errsz)
{
	size_t	 i, off;

	if (f->badmsg != NULL)
		return verr(err, errsz, "%s", f->badmsg);
	if (err == NULL || errsz == 0)
		return -1;
	snprintf(err, errsz, "Invalid %s: must be one of ", f->name);
	for (i = 0; f->choices != NULL && f->choices[i] != NULL; i++) {
		off = strlen(err);
		snprintf(err + off, errsz - off, "%s%s", i == 0 ? "" : ", ",
		    f->choices[i]);
	}
	return -1;
}

static int
type_err(const struct vfield *f, char *err, size_t errsz)
{

	/* The seed's date message says what a time must look like. */
	if (f->type == V_TIME)
		return verr(err, errsz, "%s",
		    f->badmsg != NULL ? f->badmsg : ISOTIME_BADMSG);
	return verr(err, errsz, "%s must be %s", f->name,
	    vtype_noun[f->type]);
}

static int
required_err(const struct vfield *f, char *err, size_t errsz)
{

	if (f->msg != NULL)
		return verr(err, errsz, "%s", f->msg);
	return verr(err, errsz, "%s is required", f->name);
}

/* min == max == 0 in a table row: no bounds (see core/validate.h). */
static void
bounds(const struct vfield *f, long long *min, long long *max)
{

	if (f->min == 0 && f->max == 0) {
		*min = f->type == V_STRING ? 0 : LLONG_MIN;
		*max = LLONG_MAX;
	} else {
		*min = f->min;
		*max = f->max;
	}
}

static int
check_int(const struct vfield *f, struct json_object *o, struct vvalue *v,
    char *err, size_t errsz)
{
	long long	 min, max;

	bounds(f, &min, &max);
	switch (int_from_json(o, min, max, &v->i)) {
	case VR_OK:
		return 0;
	case VR_TYPE:
		return type_err(f, err, errsz);
	default:
		if (f->badmsg != NULL)
			return verr(err, errsz, "%s", f->badmsg);
		return verr(err, errsz, "%s must be between %lld and %lld",
		    f->name, min, max);
	}
}

bool
valid_username(const char *s, size_t len)
{
	size_t	 i;

	if (s == NULL || len == 0 || len > USERNAME_MAX ||
	    !utf8_valid(s, len, NULL))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int
check_string(const struct vfield *f, struct json_object *o,
    struct vvalue *v, char *err, size_t errsz)
{
	long long	 min, max;
	size_t		 nchars;
	const char	*unit = "characters";

	if (!json_object_is_type(o, json_type_string))
		return type_err(f, err, errsz);
	if (!str_from_json(o, &v->s, &v->len, &nchars))
		return verr(err, errsz,
		    "%s must be valid UTF-8 without NUL characters", f->name);
	if (f->flags & VF_BYTES) {
		nchars = v->len;
		unit = "bytes";
	}
	bounds(f, &min, &max);
	/* "" where text is needed: the field's missing message, if it has one. */
	if (nchars == 0 && min > 0 && ((f->flags & VF_REQUIRED) || f->msg != NULL))
		return required_err(f, err, errsz);
	if ((long long)nchars < min) {
		if (f->badmsg != NULL)
			return verr(err, errsz, "%s", f->badmsg);
		return verr(err, errsz, "%s must be at least %lld %s",
		    f->name, min, unit);
	}
	if ((long long)nchars > max) {
		if (f->badmsg != NULL)
			return verr(err, errsz, "%s", f->badmsg);
		return verr(err, errsz, "%s must be at most %lld %s",
		    f->name, max, unit);
	}
	return 0;
}

static int
check_enum(const struct vfield *f, struct json_object *o, struct vvalue *v,
    char *err, size_t errsz)
{
	const char	*s;
	size_t		 len;
	int		 idx;

	if (!json_object_is_type(o, json_type_string))
		return type_err(f, err, errsz);
	if (!str_from_json(o, &s, &len, NULL) ||
	    (idx = valid_choice(s, f->choices)) < 0)
		return enum_err(f, err, errsz);
	v->i = idx;
	v->s = f->choices[idx];
	v->len = strlen(v->s);
	return 0;
}

static int
check_time(const struct vfield *f, struct json_object *o, struct vvalue *v,
    char *err, size_t errsz)
{
	const char	*s;
	size_t		 len;

	if (!str_from_json(o, &s, &len, NULL) || isotime_parse(s, &v->t) == -1)
		return verr(err, errsz, "%s",
		    f->badmsg != NULL ? f->badmsg : ISOTIME_BADMSG);
	v->s = s;
	v->len = len;
	return 0;
}

static int
check_int_array(const struct vfield *f, struct json_object *o,
    struct vvalue *v, char *err, size_t errsz)
{
	long long	 min, max, x;
	size_t		 i, n;

	if (!json_object_is_type(o, json_type_array))
		return type_err(f, err, errsz);
	if ((n = json_object_array_length(o)) > VALIDATE_ARRAY_MAX)
		return verr(err, errsz, "%s must have at most %d elements",
		    f->name, VALIDATE_ARRAY_MAX);
	bounds(f, &min, &max);
	for (i = 0; i < n; i++) {
		switch (int_from_json(json_object_array_get_idx(o, i), min,
		    max, &x)) {
		case VR_OK:
			break;
		case VR_TYPE:
			return type_err(f, err, errsz);
		default:
			if (f->badmsg != NULL)
				return verr(err, errsz, "%s", f->badmsg);
			return verr(err, errsz,
			    "%s values must be between %lld and %lld",
			    f->name, min, max);
		}
	}
	v->obj = o;
	return 0;
}

static int
check_string_array(const struct vfield *f, struct json_object *o,
    struct vvalue *v, char *err, size_t errsz)
{
	struct json_object	*e;
	const char		*s;
	size_t			 i, n, len;

	if (!json_object_is_type(o, json_type_array))
		return type_err(f, err, errsz);
	if ((n = json_object_array_length(o)) > VALIDATE_ARRAY_MAX)
		return verr(err, errsz, "%s must have at most %d elements",
		    f->name, VALIDATE_ARRAY_MAX);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(o, i);
		if (!json_object_is_type(e, json_type_string))
			return type_err(f, err, errsz);
		if (!str_from_json(e, &s, &len, NULL))
			return verr(err, errsz, "%s must be valid UTF-8 "
			    "without NUL characters", f->name);
	}
	v->obj = o;
	return 0;
}

static int
check_field(const struct vfield *f, struct json_object *o, struct vvalue *v,
    char *err, size_t errsz)
{

	switch (f->type) {
	case V_STRING:
		return check_string(f, o, v, err, errsz);
	case V_INT:
		return check_int(f, o, v, err, errsz);
	case V_BOOL:
		if (!json_object_is_type(o, json_type_boolean))
			return type_err(f, err, errsz);
		v->i = json_object_get_boolean(o) ? 1 : 0;
		return 0;
	case V_ENUM:
		return check_enum(f, o, v, err, errsz);
	case V_TIME:
		return check_time(f, o, v, err, errsz);
	case V_INT_ARRAY:
		return check_int_array(f, o, v, err, errsz);
	case V_OBJECT:
		if (!json_object_is_type(o, json_type_object))
			return type_err(f, err, errsz);
		v->obj = o;
		return 0;
	case V_STRING_ARRAY:
		return check_string_array(f, o, v, err, errsz);
	default:
		return verr(err, errsz, "%s cannot be validated", f->name);
	}
}

int
validate_body(struct json_object *body, const struct vfield *fields,
    size_t n, struct vvalue *out, char *err, size_t errsz)
{
	const struct vfield	*f;
	struct vvalue		*v;
	struct json_object	*o;
	size_t			 i;

	if (n > 0)
		memset(out, 0, n * sizeof(*out));
	if (!json_object_is_type(body, json_type_object))
		return verr(err, errsz, "Request body must be a JSON object");

	for (i = 0; i < n; i++) {
		f = &fields[i];
		v = &out[i];
		if (!json_object_object_get_ex(body, f->name, &o)) {
			if (f->flags & VF_REQUIRED)
				return required_err(f, err, errsz);
			continue;
		}
		v->present = true;
		if (o == NULL) {
			if (f->flags & VF_REQUIRED)
				return required_err(f, err, errsz);
			if (!(f->flags & VF_NULLABLE))
				return type_err(f, err, errsz);
			v->null = true;
			continue;
		}
		/* A required field sent as "" is missing (CONTRACT 9), whatever its type. */
		if (json_object_is_type(o, json_type_string) &&
		    json_object_get_string_len(o) == 0) {
			if (f->flags & VF_REQUIRED)
				return required_err(f, err, errsz);
			if (f->flags & VF_EMPTY_NULL) {
				v->null = true;
				continue;
			}
		}
		if (check_field(f, o, v, err, errsz) == -1)
			return -1;
	}
	return 0;
}

bool
valid_blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}
