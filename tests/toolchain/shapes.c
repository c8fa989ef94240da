/* Part of the toolchain test project: in an ar archive. */
#include <math.h>

double area(double r)
{
    return M_PI * pow(r, 2);
}
