/*
 * Page plumbing shared by the status pages and the console.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/isotime.h"
#include "http/dispatch.h"
#include "http/request.h"
#include "http/response.h"
#include "page/page.h"
#include "page/pages.h"
#include "util/conf.h"
#include "util/crypto.h"
#include "util/json.h"

struct json_object *
page_base(const struct conf *cfg, const char *title, time_t now, int feed)
{
	struct json_object	*o, *site;

	int			 bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	site = json_object_new_object();
	bad |= json_add_string(site, "title", cfg->pages.title);
	bad |= json_add(o, "site", site);
	bad |= json_add_string(o, "title", title);
	bad |= json_add_string(o, "home", "/status");
	bad |= json_add(o, "feed", json_object_new_boolean(feed));
	bad |= page_add_time(o, "updated", now, now);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
page_send(struct request *req, struct response *resp, int status,
    const char *name, struct json_object *data)
{
	char	*buf;
	size_t	 len = 0;

	/* No data is a builder out of memory: never a page without it. */
	if (data == NULL)
		return -1;
	buf = pages_render(req->app->pages, name, data, &len);
	json_object_put(data);
	if (buf == NULL)
		return -1;
	return resp_body(resp, status, buf, len);
}

/* Whether the If-None-Match list holds tag (or is "*"). */
static int
etag_matches(const char *list, const char *tag)
{
	size_t	 n = strlen(tag), k;

	while (list != NULL && *list != '\0') {
		list += strspn(list, " ,\t");
		if (strncmp(list, "W/", 2) == 0)	/* weak: same bytes here */
			list += 2;
		k = strcspn(list, " ,\t");
		if ((k == 1 && *list == '*') ||
		    (k == n && strncmp(list, tag, n) == 0))
			return 1;
		list += k;
	}
	return 0;
}

int
page_cacheable(struct request *req, struct response *resp, char *buf,
    size_t len, int max_age)
{
	unsigned char	 h[SHA256_LEN];
	char		 hex[2 * 16 + 1], tag[2 * 16 + 3];

	if (crypto_sha256(buf, len, h) == -1) {
		free(buf);
		return -1;
	}
	crypto_hex(h, 16, hex);
	snprintf(tag, sizeof(tag), "\"%s\"", hex);
	resp_header(resp, "ETag", "%s", tag);
	resp_header(resp, "Cache-Control", "public, max-age=%d", max_age);
	if (etag_matches(req->if_none_match, tag)) {
		free(buf);
		return resp_body(resp, 304, NULL, 0);
	}
	return resp_body(resp, 200, buf, len);
}

#define STATIC_MAX	(8 << 20)	/* bytes of a static copy */

/* The regular file path, read whole into a new buffer; NULL if none. */
static char *
read_file(const char *path, size_t *len)
{
	struct stat	 st;
	char		*buf = NULL;
	int		 fd;
	ssize_t		 n;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size <= STATIC_MAX &&
	    (buf = malloc((size_t)st.st_size + 1)) != NULL) {
		n = read(fd, buf, (size_t)st.st_size);
		if (n != st.st_size) {
			free(buf);
			buf = NULL;
		} else
			*len = (size_t)n;
	}
	close(fd);
	return buf;
}

int
page_static_copy(struct request *req, struct response *resp)
{
	const char	*root = req->app->cfg->pages.static_dir;
	char		 path[4096], *buf = NULL;
	size_t		 len = 0;

	/*
	 * The path matched a route: literals and digits, never "..".  A
	 * query asks for something else than the copy holds (?window=).
	 */
	if (root[0] == '\0' || req->path == NULL || req->query[0] != '\0')
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s%s.html", root,
	    req->path) < sizeof(path))
		buf = read_file(path, &len);
	if (buf == NULL && (size_t)snprintf(path, sizeof(path), "%s%s", root,
	    req->path) < sizeof(path))
		buf = read_file(path, &len);
	if (buf == NULL)
		return -1;
	resp_header(resp, "X-Resilops-Copy", "static");
	resp_header(resp, "Cache-Control", "no-cache");
	resp_body(resp, 200, buf, len);
	return 0;
}

int
page_error(const struct request *req, struct response *resp)
{
	struct json_object	*o;
	char			 reason[64], *buf;
	size_t			 len = 0;

	if (req->app == NULL || req->app->pages == NULL)
		return -1;
	snprintf(reason, sizeof(reason), "%s", resp_reason(resp->status));
	/* Out of memory: -1, and resp_finish's built-in page answers. */
	if ((o = page_base(req->app->cfg, reason, req->now, 0)) == NULL)
		return -1;
	if (json_add(o, "status", json_object_new_int(resp->status)) != 0 ||
	    json_add_string(o, "reason", reason) != 0 ||
	    json_add_string(o, "message", resp->error != NULL ? resp->error :
	    reason) != 0) {
		json_object_put(o);
		return -1;
	}
	buf = pages_render(req->app->pages, "error", o, &len);
	json_object_put(o);
	if (buf == NULL)
		return -1;
	free(resp->raw);
	resp->raw = buf;
	resp->rawlen = len;
	return 0;
}

void
page_iso(time_t t, char out[PAGE_TIME_MAX])
{
	isotime_format(t, out);
}

void
page_time(time_t t, time_t now, char out[PAGE_TIME_MAX])
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	if (t / 86400 == now / 86400)
		strftime(out, PAGE_TIME_MAX, "%H:%M UTC", &tm);
	else
		strftime(out, PAGE_TIME_MAX, "%-d %b %Y, %H:%M UTC", &tm);
}

void
page_duration(long s, char *buf, size_t bufsz)
{
	long	 m = (s + 59) / 60;

	if (s < 0)
		s = m = 0;
	if (m < 60)
		snprintf(buf, bufsz, "%ld min", m);
	else if (m < 24 * 60 && m % 60 != 0)
		snprintf(buf, bufsz, "%ld h %ld min", m / 60, m % 60);
	else if (m < 24 * 60)
		snprintf(buf, bufsz, "%ld h", m / 60);
	else if ((m / 60) % 24 != 0)
		snprintf(buf, bufsz, "%ld d %ld h", m / (24 * 60), (m / 60) % 24);
	else
		snprintf(buf, bufsz, "%ld d", m / (24 * 60));
}

int
page_add_time(struct json_object *o, const char *key, time_t t, time_t now)
{
	char	 human[PAGE_TIME_MAX], iso[PAGE_TIME_MAX], k[64];

	page_time(t, now, human);
	page_iso(t, iso);
	snprintf(k, sizeof(k), "%s_iso", key);
	if (json_add_string(o, key, human) != 0)
		return -1;
	return json_add_string(o, k, iso);
}

int
page_add_list(struct json_object *o, const char *key, struct json_object *arr)
{
	char	 has[64];

	if (arr == NULL)
		return -1;
	snprintf(has, sizeof(has), "has_%s", key);
	if (json_add(o, has, json_object_new_boolean(
	    json_object_array_length(arr) > 0)) != 0) {
		json_object_put(arr);
		return -1;
	}
	return json_add(o, key, arr);
}

char *
page_urlencode(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	char			*out, *o;

	if ((out = malloc(strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (o = out; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~')
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
