/*
 * JSON text written straight into a growing buffer, for the answers
 * whose json-c tree would cost more than the data (a page of the
 * service list: an object and a malloc per field, then its printing).
 * The text is what json-c writes for the same tree with util/json's
 * flags, byte for byte: clients and tests see no difference.
 */
#ifndef RO_JSONW_H
#define RO_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Containers open at once, as deep as a body may nest (JSON_DEPTH_MAX). */
#define JSONW_DEPTH_MAX	32
/* The largest text, a bound far above any answer's. */
#define JSONW_TEXT_MAX	((size_t)1 << 30)

/*
 * A writer.  Every call appends one piece; commas and colons come by
 * themselves.  An allocation failure, a text over max, or a call out
 * of place (a value where a key belongs, an end that closes nothing)
 * latches failed and drops the text, after which every call does
 * nothing: a caller checks once, at jsonw_finish.
 */
struct jsonw {
	char		*buf;		/* owned until jsonw_finish */
	size_t		 len;
	size_t		 size;		/* of buf; 0 while there is none */
	size_t		 first;		/* the size buf starts with */
	size_t		 max;		/* of len: JSONW_TEXT_MAX, or lower */
	bool		 failed;	/* sticky */
	bool		 keyed;		/* a key is written, its value is next */
	bool		 done;		/* the one top-level value is complete */
	size_t		 depth;		/* containers open */
	struct {
		bool	 object;	/* else an array */
		bool	 filled;	/* holds a member: the next needs a comma */
	}		 open[JSONW_DEPTH_MAX];
};

/* An empty writer; size_hint: the buffer's first size (0: a default). */
void	 jsonw_init(struct jsonw *, size_t size_hint);
/*
 * The text (NUL-terminated, *len its length without the NUL), malloc'd
 * for the caller to free; NULL if the writer failed or the value is
 * incomplete.  The writer is empty again either way.
 */
char	*jsonw_finish(struct jsonw *, size_t *len);
/* Drop the text unfinished; the writer is empty again. */
void	 jsonw_free(struct jsonw *);
/*
 * Fail the writer as an allocation failure would: for a part that
 * could not be made (out of memory), so that the text is not finished
 * without it.
 */
void	 jsonw_set_failed(struct jsonw *);

void	 jsonw_object(struct jsonw *);
void	 jsonw_object_end(struct jsonw *);
void	 jsonw_array(struct jsonw *);
void	 jsonw_array_end(struct jsonw *);
/* A member's name, inside an object; its value comes next. */
void	 jsonw_key(struct jsonw *, const char *);

/* A string (UTF-8 passes through as it is), or null for NULL. */
void	 jsonw_string(struct jsonw *, const char *);
void	 jsonw_int(struct jsonw *, long long);
/*
 * A fixed-point number with places decimals ("%.*f", as json-c writes a
 * double made with json_object_new_double_s from that text); null for
 * one JSON cannot say (NaN, infinities) or places outside 0..9.
 */
void	 jsonw_decimal(struct jsonw *, double v, int places);
void	 jsonw_bool(struct jsonw *, bool);
void	 jsonw_null(struct jsonw *);
/* UTC "YYYY-MM-DDTHH:MM:SSZ" (core/isotime), or null for 0: json_time. */
void	 jsonw_time(struct jsonw *, time_t);
/*
 * A value that is JSON text already (len bytes of json_text's output,
 * say), copied as it is; null for NULL.  For a rare part whose shape
 * one json-c function owns (a ticket's calendar): the caller vouches
 * that the text is one whole value.
 */
void	 jsonw_raw(struct jsonw *, const char *json, size_t len);
/*
 * Members that are JSON text already ("a":1,"b":[2]: len bytes, none
 * when 0), copied as they are into the innermost object, after a comma
 * when it holds one already.  For a kept copy (a service's list item,
 * sql/037): the caller vouches that the text is whole members.
 */
void	 jsonw_members(struct jsonw *, const char *json, size_t len);
/*
 * In a JSON text made elsewhere (MariaDB's JSON_QUOTE writes \u001F),
 * the hex digits of each \u escape in lower case, as this writer and
 * json-c spell them.  Escapes are read from the left as a JSON reader
 * reads them, so the text "\\u001F" (an escaped backslash, then
 * letters) stays as it is.  In place; the text's length is kept.
 */
void	 jsonw_hex_lower(char *json);

/* A member: jsonw_key, then the value. */
void	 jsonw_key_string(struct jsonw *, const char *key, const char *);
void	 jsonw_key_int(struct jsonw *, const char *key, long long);
void	 jsonw_key_bool(struct jsonw *, const char *key, bool);
void	 jsonw_key_time(struct jsonw *, const char *key, time_t);
/* An id, or null for 0 (none: no user, unassigned), as json_id. */
void	 jsonw_key_id(struct jsonw *, const char *key, long long id);

#endif
