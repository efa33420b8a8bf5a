/* cmd-sync.c: placeholder until the Web API client is in. */
#include "cmd.h"
#include "cli.h"

int cmd_sync(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_usage_error("sync", "not built yet");
}
