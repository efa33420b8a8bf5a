/* jsonparse-jsonc.c: json-c's side of bench/jsonparse (a whole tree per
 * file with json_tokener_parse; the text must be NUL-terminated). Kept
 * apart because json-c and jansson declare the same names. */
#include <json-c/json.h>
#include <stddef.h>

size_t count_jsonc(const char *p, size_t n, const char **err);

size_t count_jsonc(const char *p, size_t n, const char **err)
{
	(void)n;
	struct json_object *o = json_tokener_parse(p);
	if (!o) {
		*err = "json-c: syntax error";
		return 0;
	}
	size_t items = json_object_is_type(o, json_type_array) ? json_object_array_length(o) : 0;
	json_object_put(o);
	return items;
}
