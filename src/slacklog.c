/* slacklog.c: main() and the command table. */
#include "cli.h"
#include "cmd.h"
#include <stdio.h>
#include <string.h>

#ifndef SLACKLOG_VERSION
#define SLACKLOG_VERSION "0.1.0"
#endif

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const command commands[] = {
	{"import", cmd_import, "import a Slack export (zip or directory) into the archive"},
	{"ingest", cmd_ingest, "apply Slack event logs (JSON Lines) to the archive, once or following them"},
	{"sync", cmd_sync, "fetch new history from Slack's Web API into the archive"},
	{"listen", cmd_listen, "log events as they happen over Slack's Socket Mode (no public endpoint)"},
	{"stats", cmd_stats, "show what the archive holds"},
	{"render", cmd_render, "render one message (JSON on stdin) as HTML or text"},
	{"serve", cmd_serve, "serve the archive over HTTP"},
	{"build", cmd_build, "write the archive as a static site (the pages serve gives)"},
	{"search", cmd_search, "search the archive's public channels (Slack's query syntax)"},
	{"optout", cmd_optout, "hide a person from the published archive (--undo: show again)"},
	{"redact", cmd_redact, "take a message or thread down"},
	{"forget", cmd_forget, "erase a person from the archive for good"},
	{"moderation", cmd_moderation, "the moderation log; apply the publish policy"},
	{"help", cmd_help, "show help for slacklog or one command"},
	{"version", cmd_version, "print the version"},
};

static const command *find(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: slacklog COMMAND [OPTIONS] [ARGS]\n\n"
		   "slacklog turns a Slack workspace's history into a searchable web archive.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'slacklog COMMAND --help' for a command's options; see slacklog(1).\n"
		   "The database is --db FILE, else $SLACKLOG_DB, else ./slacklog.db.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cli_help("usage: slacklog help [COMMAND]\n\n"
				"Without COMMAND, list the commands; with one, show its options\n"
				"(as 'slacklog COMMAND --help' does).\n");
	if (argv[1][0] == '-')
		return cli_usage_error("help", "unknown option '%s'", argv[1]);
	if (argc > 2)
		return cli_usage_error("help", "unexpected '%s'", argv[2]);
	const command *c = find(argv[1]);
	if (!c)
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	char *args[] = {(char *)c->name, "--help", NULL};
	return c->fn(2, args);
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return cli_help("usage: slacklog version\n\nPrint the version of slacklog.\n");
	if (argc > 1)
		return cli_usage_error("version", argv[1][0] == '-' ? "unknown option '%s'" : "unexpected '%s'", argv[1]);
	printf("slacklog %s\n", SLACKLOG_VERSION);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_FAIL;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv);
	const command *c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "slacklog: unknown command '%s'\n", argv[1]);
		usage(stderr);
		return EXIT_FAIL;
	}
	return c->fn(argc - 1, argv + 1);
}
