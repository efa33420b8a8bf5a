/* placeholder, replaced by the real command */
#include "cmd.h"
#include "cli.h"
int cmd_render(int argc, char **argv) { (void)argc; (void)argv; log_err("render: not built yet"); return EXIT_FAIL; }
