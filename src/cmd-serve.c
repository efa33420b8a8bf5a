/* placeholder, replaced by the real command */
#include "cmd.h"
#include "cli.h"
int cmd_serve(int argc, char **argv) { (void)argc; (void)argv; log_err("serve: not built yet"); return EXIT_FAIL; }
