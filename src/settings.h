/* settings.h: the flags of serve and build that are settings (web/conf.h).
 *
 * conf_build checks a flag's value with the other layers and names it by
 * its setting ("--search_url: search_url must be ..."). The commands check
 * each flag as they read it, with this, so that a bad value is one usage
 * error naming the flag as it was typed ("--search-url must be ..."). */
#ifndef SLACKLOG_SETTINGS_H
#define SLACKLOG_SETTINGS_H

/* 0, or -1 after a usage error of cmd when value is not one the setting
 * key takes. */
int settings_check_flag(const char *cmd, const char *flag, const char *key, const char *value);
#endif
