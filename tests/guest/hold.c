/* Holds its read-only disk d0 for the given milliseconds (lock tests). */
#include <stdlib.h>
#include <unistd.h>
#include <time.h>

int main(int argc, char **argv)
{
    usleep(argc > 1 ? strtoul(argv[1], NULL, 10) * 1000 : 1000);
    return 0;
}
