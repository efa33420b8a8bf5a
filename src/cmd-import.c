/* placeholder, replaced by the real command */
#include "cmd.h"
#include "cli.h"
int cmd_import(int argc, char **argv) { (void)argc; (void)argv; log_err("import: not built yet"); return EXIT_FAIL; }
