/*
 * Lists of ids between the worker and MariaDB: as the one JSON array
 * parameter a JSON_TABLE expands (a statement prepared once whatever
 * the number of ids), back from a GROUP_CONCAT, and in the worker's
 * order (ORDER BY left out of statements: the worker sorts a handful
 * of rows for less than MariaDB's filesort or temporary table).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"

int
db_ids_parse(const char *csv, long long **out, size_t *n)
{
	const char	*p;
	size_t		 cap = 1, i = 0;
	long long	*v;
	char		*end;

	*out = NULL;
	*n = 0;
	if (csv == NULL || *csv == '\0')
		return 0;
	for (p = csv; *p; p++)
		if (*p == ',')
			cap++;
	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return -1;
	for (p = csv; *p && i < cap; p = *end ? end + 1 : end)
		v[i++] = strtoll(p, &end, 10);
	/* A handful of ids: sorted here, MariaDB needs no temporary table. */
	if (i > 1)
		qsort(v, i, sizeof(*v), db_id_cmp);
	*out = v;
	*n = i;
	return 0;
}

void
db_sort_cut(void *v, size_t *n, size_t size,
    int (*cmp)(const void *, const void *), void (*clear)(void *), long limit)
{
	size_t	 i;

	if (*n > 1)
		qsort(v, *n, size, cmp);
	if (limit < 0 || *n <= (size_t)limit)
		return;
	if (clear != NULL)
		for (i = (size_t)limit; i < *n; i++)
			clear((char *)v + i * size);
	*n = (size_t)limit;
}

int
db_id_cmp(const void *a, const void *b)
{
	long long	 x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

char *
db_ids_json(const long long *ids, size_t n)
{
	char	*buf, *p;
	size_t	 i, cap = 2 + n * 21;

	if ((buf = malloc(cap + 1)) == NULL)
		return NULL;
	p = buf;
	*p++ = '[';
	for (i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - buf), "%s%lld", i ? "," : "",
		    ids[i]);
	*p++ = ']';
	*p = '\0';
	return buf;
}

int
db_ids_listed(struct db *db, const char *sql, const long long *ids, size_t n,
    char *buf, size_t bufsz)
{
	struct dbrows	*r;
	char		*json;
	size_t		 len = 0;
	int		 count = 0, rc;

	if (bufsz > 0)
		buf[0] = '\0';
	if (n == 0)
		return 0;
	if ((json = db_ids_json(ids, n)) == NULL)
		return -1;
	{
		struct dbval	 args[] = { DBS(json) };

		r = db_query(db, sql, args, NARGS(args));
	}
	free(json);
	if (r == NULL)
		return -1;
	len = (size_t)snprintf(buf, bufsz, "[");
	while ((rc = db_next(r)) == 1) {
		if (len < bufsz)
			len += (size_t)snprintf(buf + len, bufsz - len, "%s%lld",
			    count ? ", " : "", db_int(r, 0));
		count++;
	}
	if (len < bufsz)
		snprintf(buf + len, bufsz - len, "]");
	db_rows_free(r);
	return rc == -1 ? -1 : count;
}
