/* Says "holding", then holds its read-only disk d0 for the given
 * milliseconds (lock tests). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    puts("holding");
    fflush(stdout);
    usleep(argc > 1 ? strtoul(argv[1], NULL, 10) * 1000 : 1000);
    return 0;
}
