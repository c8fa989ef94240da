/* hello-native: the static host process make bench boots mote's hello against.
 */
#include <stdio.h>

int main(void)
{
    printf("Hello from mote\n");
    return 0;
}
