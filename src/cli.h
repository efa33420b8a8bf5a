/* cli.h: what every subcommand shares: the command table's entry type,
 * the database path default, logging with verbosity, and a progress bar
 * that only draws on a terminal.
 *
 * Exit statuses (documented in slacklog(1)):
 *   0  success
 *   1  completed, with warnings (some input was skipped or repaired)
 *   2  failed (bad usage, unreadable input, database error) */
#ifndef SLACKLOG_CLI_H
#define SLACKLOG_CLI_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_WARN = 1, EXIT_FAIL = 2 };

typedef struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} command;

/* --db flag, else $SLACKLOG_DB, else ./slacklog.db */
const char *cli_db_path(const char *flag);

/* --api-url: an http:// or https:// URL, written to out ending with '/'.
 * -1 when it is not one. */
int cli_api_base(const char *url, char *out, size_t len);

/* Verbosity: 0 quiet (errors only), 1 normal, 2 verbose. */
extern int cli_verbosity;
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Usage text for CMD --help: prints to stdout and returns EXIT_OK. */
int cli_help(const char *text);
/* Bad usage: prints "slacklog CMD: msg" with a pointer to --help, on one
 * line; returns EXIT_FAIL. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A command's options, for cli_next: a table ending with {NULL}. argv is
 * read in order (no reordering, no abbreviations): "--name VALUE",
 * "--name=VALUE", "-c" for an option whose id is in shorts, and "--"
 * before arguments that start with '-'. */
typedef struct cli_opt {
	const char *name;            /* as typed: "--db" */
	bool value;                  /* takes a value */
	int id;                      /* what cli_next returns for it (> 0) */
} cli_opt;

typedef struct cli_args {
	const char *cmd;             /* names the command in errors */
	const cli_opt *opts;
	const char *shorts;          /* ids that have a short form: "qv" is -q, -v */
	bool dash_args;              /* "-word", not a short option, is an argument */
	int argc;
	char **argv;                 /* argv[0] is the command's name */
	int i;                       /* the element read last */
	bool rest;                   /* after "--": arguments only */
	const char *val;             /* the value of the option returned */
	int nargs;                   /* arguments gathered so far */
} cli_args;

enum { CLI_END = 0, CLI_BAD = -1 };
/* The next option's id (its value in a->val), CLI_END, or CLI_BAD after
 * one usage error naming the option as typed: unknown, a value missing,
 * or one it does not take. The arguments (what is not an option) are
 * gathered in order at the front of argv, a->argv[0 .. a->nargs): each
 * takes the place of one already read. */
int cli_next(cli_args *a);

/* Progress bar on stderr when stdout is a terminal and not quiet. */
typedef struct progress {
	bool on;
	double start, last;
	const char *what;
} progress;
void progress_start(progress *p, const char *what);
/* done/total in units (files); extra = count shown with a rate (messages) */
void progress_update(progress *p, uint64_t done, uint64_t total, uint64_t extra, const char *extra_unit);
void progress_end(progress *p);
double now_seconds(void);
#endif
