/* tests/cli.sh's appliance, built outside the tree with mote-cc alone
 * (or, in the emulated labs, which have no compiler, beforehand). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    char *p = malloc(64);

    snprintf(p, 64, "appliance says %s", argc > 1 ? argv[1] : "nothing");
    puts(p);
    return 5;
}
