/*
 * sink: text built into a caller's buffer of fixed size, counting what it
 * produces even past the end, so a formatter fills what fits and can tell
 * the caller how much room the whole text needs (as snprintf does). Used
 * by the portable formatters (hexdump.c, json.c); header-only.
 */
#ifndef PIPECAT_SINK_H
#define PIPECAT_SINK_H

#include <stddef.h>

struct sink {
	char *out;
	size_t cap;
	size_t n;               /* characters produced, stored or not */
};

static inline void
sink_put(struct sink *s, char c)
{
	if (s->n < s->cap)
		s->out[s->n] = c;
	s->n++;
}

static inline void
sink_puts(struct sink *s, const char *str)
{
	while (*str != '\0')
		sink_put(s, *str++);
}

#endif
