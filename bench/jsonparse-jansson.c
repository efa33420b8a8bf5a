/* jsonparse-jansson.c: jansson's side of bench/jsonparse (a whole tree per
 * file with json_loadb). Kept apart because json-c and jansson declare the
 * same names. */
#include <jansson.h>
#include <stddef.h>

size_t count_jansson(const char *p, size_t n, const char **err);

size_t count_jansson(const char *p, size_t n, const char **err)
{
	static char msg[200];
	json_error_t e;
	json_t *o = json_loadb(p, n, 0, &e);
	if (!o) {
		*err = msg;
		snprintf(msg, sizeof msg, "jansson: line %d: %s", e.line, e.text);
		return 0;
	}
	size_t items = json_is_array(o) ? json_array_size(o) : 0;
	json_decref(o);
	return items;
}
