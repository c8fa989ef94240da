/* hello-native: the static host hello that make bench compares mote to. */
#include <stdio.h>

int main(void)
{
    printf("Hello from mote\n");
    return 0;
}
