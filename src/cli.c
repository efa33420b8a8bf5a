/* cli.c: see cli.h. */
#include "cli.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cli_verbosity = 1;

const char *cli_db_path(const char *flag)
{
	if (flag && *flag)
		return flag;
	const char *env = getenv("SLACKLOG_DB");
	if (env && *env)
		return env;
	return "slacklog.db";
}

int cli_api_base(const char *url, char *out, size_t len)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return -1;
	snprintf(out, len, "%s%s", url, url[strlen(url) - 1] == '/' ? "" : "/");
	return 0;
}

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[4096];
	vsnprintf(line, sizeof line, fmt, ap);
	fprintf(stderr, "slacklog: %s%s\n", prefix, line);
}

void log_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	if (cli_verbosity < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	if (cli_verbosity < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	if (cli_verbosity < 2)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

int cli_help(const char *text)
{
	fputs(text, stdout);
	return EXIT_OK;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "slacklog %s: %s (see 'slacklog %s --help')\n", cmd, line, cmd);
	return EXIT_FAIL;
}

static const cli_opt *find_opt(const cli_args *a, const char *arg, size_t *namelen)
{
	if (arg[1] != '-') {
		for (const cli_opt *o = a->opts; o->name; o++)
			if (arg[1] && !arg[2] && arg[1] == o->id && strchr(a->shorts, o->id)) {
				*namelen = 2;
				return o;
			}
		return NULL;
	}
	size_t n = strcspn(arg, "=");
	for (const cli_opt *o = a->opts; o->name; o++)
		if (strlen(o->name) == n && strncmp(o->name, arg, n) == 0) {
			*namelen = n;
			return o;
		}
	return NULL;
}

int cli_next(cli_args *a)
{
	while (++a->i < a->argc) {
		const char *arg = a->argv[a->i];
		bool dashed = !a->rest && arg[0] == '-' && arg[1];
		if (dashed && strcmp(arg, "--") == 0) {
			a->rest = true;
			continue;
		}
		size_t n = 0;
		const cli_opt *o = dashed ? find_opt(a, arg, &n) : NULL;
		if (!o && (!dashed || (a->dash_args && arg[1] != '-'))) {
			a->argv[a->nargs++] = a->argv[a->i];
			continue;
		}
		if (!o)
			return cli_usage_error(a->cmd, "unknown option '%s'", arg), CLI_BAD;
		if (arg[n] == '=' && !o->value)
			return cli_usage_error(a->cmd, "%s takes no value", o->name), CLI_BAD;
		a->val = NULL;
		if (arg[n] == '=')
			a->val = arg + n + 1;
		else if (o->value && a->i + 1 < a->argc)
			a->val = a->argv[++a->i];
		else if (o->value)
			return cli_usage_error(a->cmd, "%s needs a value", arg), CLI_BAD;
		return o->id;
	}
	return CLI_END;
}

double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(progress *p, const char *what)
{
	p->on = cli_verbosity >= 1 && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
	p->start = now_seconds();
	p->last = 0;
	p->what = what;
}

void progress_update(progress *p, uint64_t done, uint64_t total, uint64_t extra, const char *unit)
{
	if (!p->on)
		return;
	double t = now_seconds();
	if (t - p->last < 0.1 && done < total)
		return;
	p->last = t;
	double el = t - p->start;
	int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : 0;
	if (fill > width)
		fill = width;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[width] = 0;
	double rate = el > 0 ? (double)extra / el : 0;
	double eta = (done && total > done) ? el * (double)(total - done) / (double)done : 0;
	fprintf(stderr, "\r%s [%s] %llu/%llu  %llu %s  %.0f/s  ETA %.0fs  ", p->what, bar,
		(unsigned long long)done, (unsigned long long)total, (unsigned long long)extra,
		unit ? unit : "", rate, eta);
	fflush(stderr);
}

void progress_end(progress *p)
{
	if (p->on) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}
