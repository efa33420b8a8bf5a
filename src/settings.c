/* settings.c: see settings.h. */
#include "settings.h"
#include "cli.h"
#include "web/conf.h"
#include <string.h>

int settings_check_flag(const char *cmd, const char *flag, const char *key, const char *value)
{
	if (!strcmp(key, "config"))
		return 0;            /* not a setting: the file to read them from */
	conf_t *c = conf_new();
	char msg[512];
	int rc = conf_set(c, key, value, msg, sizeof msg);
	conf_free(c);
	if (rc == 0)
		return 0;
	/* "search_url must be ..." reads "--search-url must be ..." */
	size_t k = strlen(key);
	if (!strncmp(msg, key, k) && msg[k] == ' ')
		return cli_usage_error(cmd, "%s%s", flag, msg + k), -1;
	return cli_usage_error(cmd, "%s: %s", flag, msg), -1;
}
