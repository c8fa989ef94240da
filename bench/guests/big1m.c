/* big1m: a 1 MiB image (a 1 MiB constant table), for timing verification of
 * a signed image in make bench. Exits with one byte of the table: 0. */
static const unsigned char table[1 << 20] = { 1 };

int main(int argc, char **argv)
{
    (void)argv;
    return table[argc + 4096];
}
