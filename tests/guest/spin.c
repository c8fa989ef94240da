/* Spins forever without a hypercall: only a signal to mote can stop it. */
int main(void)
{
    for (volatile unsigned long i = 0;; i++)
        ;
}
