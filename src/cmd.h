/* cmd.h: the subcommands. Each lives in src/cmd-NAME.c and is listed once,
 * in the command table in slacklog.c. */
#ifndef SLACKLOG_CMD_H
#define SLACKLOG_CMD_H
int cmd_import(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_listen(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_optout(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_forget(int argc, char **argv);
int cmd_moderation(int argc, char **argv);
#endif
