/*
 * Status badges: shields-style flat SVG, a grey label on the left and a
 * coloured value on the right, each half as wide as its text in
 * Verdana 11 px, with a <title> for screen readers.  Pure.
 */
#ifndef RO_BADGE_H
#define RO_BADGE_H

#include <stddef.h>

/* Width of s in Verdana 11 px, in tenths of a pixel (UTF-8 aware). */
long	 badge_text_width(const char *s);
/*
 * The SVG of a badge, malloc'd (caller frees), *len its length; NULL
 * when out of memory.  label and value are escaped; color is one of
 * the fixed "#rrggbb" strings below, never user input.
 */
char	*badge_svg(const char *label, const char *value, const char *color,
	    size_t *len);

#define BADGE_GREEN	"#1a7f37"
#define BADGE_YELLOW	"#9a6700"
#define BADGE_RED	"#cf222e"
#define BADGE_GREY	"#57606a"
#define BADGE_BLUE	"#0969da"

#endif
