/* Exit status: "exit N" calls exit(N), "return N" returns N from main. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 0;

    if (argc > 1 && !strcmp(argv[1], "exit"))
        exit(n);
    return n;
}
