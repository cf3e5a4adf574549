/*
 * Badges.  The text widths are Verdana's advance widths at 11 px for
 * printable ASCII (what shields.io badges use, so ours sit beside
 * theirs in a README), and an average for anything else: a badge only
 * has to be wide enough, not typeset.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/badge.h"

#define HEIGHT		20
#define PAD		100	/* tenths of a px around each text */
#define OTHER_WIDTH	70	/* a character outside ASCII */

/* Tenths of a px, for ' ' (32) to '~' (126). */
static const unsigned char widths[95] = {
	39, 43, 50, 90, 70, 121, 80, 30, 49, 49, 70, 90, 40, 50, 40, 49,
	70, 70, 70, 70, 70, 70, 70, 70, 70, 70, 49, 49, 90, 90, 90, 60,
	110, 75, 76, 77, 85, 70, 63, 85, 84, 46, 50, 76, 61, 93, 83, 87,
	66, 87, 77, 75, 68, 81, 75, 110, 75, 68, 75, 49, 49, 49, 90, 70,
	70, 66, 68, 58, 68, 66, 38, 68, 69, 30, 38, 65, 30, 106, 69, 67,
	68, 68, 47, 57, 43, 69, 65, 89, 65, 65, 58, 70, 49, 70, 90,
};

long
badge_text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	long			 w = 0;

	for (; *p != '\0'; p++) {
		if (*p >= 32 && *p <= 126)
			w += widths[*p - 32];
		else if ((*p & 0xc0) != 0x80)	/* a lead byte: one character */
			w += OTHER_WIDTH;
	}
	return w;
}

/* s with the five XML specials as entities, into f. */
static void
xml_put(FILE *f, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
}

char *
badge_svg(const char *label, const char *value, const char *color,
    size_t *len)
{
	char	*buf = NULL;
	FILE	*f;
	long	 lw, vw, w;

	*len = 0;
	lw = (badge_text_width(label) + PAD + 9) / 10;
	vw = (badge_text_width(value) + PAD + 9) / 10;
	w = lw + vw;
	if ((f = open_memstream(&buf, len)) == NULL)
		return NULL;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" "
	    "height=\"%d\" role=\"img\" aria-label=\"", w, HEIGHT);
	xml_put(f, label);
	fputs(": ", f);
	xml_put(f, value);
	fputs("\"><title>", f);
	xml_put(f, label);
	fputs(": ", f);
	xml_put(f, value);
	fprintf(f, "</title><linearGradient id=\"s\" x2=\"0\" y2=\"100%%\">"
	    "<stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/>"
	    "<stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>"
	    "<clipPath id=\"r\"><rect width=\"%ld\" height=\"%d\" rx=\"3\" "
	    "fill=\"#fff\"/></clipPath><g clip-path=\"url(#r)\">"
	    "<rect width=\"%ld\" height=\"%d\" fill=\"#555\"/>"
	    "<rect x=\"%ld\" width=\"%ld\" height=\"%d\" fill=\"%s\"/>"
	    "<rect width=\"%ld\" height=\"%d\" fill=\"url(#s)\"/></g>"
	    "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,"
	    "Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">"
	    "<text x=\"%ld.%ld\" y=\"14\">", w, HEIGHT, lw, HEIGHT, lw, vw,
	    HEIGHT, color, w, HEIGHT, lw / 2, (lw % 2) * 5);
	xml_put(f, label);
	fprintf(f, "</text><text x=\"%ld.%ld\" y=\"14\">", lw + vw / 2,
	    (vw % 2) * 5);
	xml_put(f, value);
	fputs("</text></g></svg>\n", f);
	if (fclose(f) != 0) {
		free(buf);
		*len = 0;
		return NULL;
	}
	return buf;
}
