/* placeholder, replaced by the real command */
#include "cmd.h"
#include "cli.h"
int cmd_stats(int argc, char **argv) { (void)argc; (void)argv; log_err("stats: not built yet"); return EXIT_FAIL; }
