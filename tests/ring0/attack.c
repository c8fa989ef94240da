/*
 * The x86 ring-0 attacks (tests/guest/cases.txt): "ring0 ATTACK [ARG
 * [SIZE]]" picks one at ring 3 (ring0_pick), and ring0_attack runs it at
 * ring 0 from the vector-3 stub (ring0.S). Freestanding: no libOS, no C
 * library, no SSE. An attack the monitor never sees (KVM answers it) comes
 * back: the guest then says so and exits with status 3.
 *
 *   out PORT SIZE, in PORT SIZE   port I/O (SIZE 1, 2 or 4)
 *   load ADDR, store ADDR         through its own page tables (ADDR "end":
 *                                 the end of RAM)
 *   hlt, hlt-sti                  hlt with interrupts off, on
 *   triple                        int3 through a null IDT
 *   rdmsr MSR, wrmsr MSR          a model-specific register
 *   vmcall, vmmcall               KVM's hypercall instructions
 *   cr0-pg, cr4-pae               paging off (CR0.PG, CR4.PAE cleared)
 *   hc ADDR NR                    hypercall NR with its struct at ADDR,
 *                                 from ring 0 (the monitor's tables, the
 *                                 exception stack)
 */
#include <stdint.h>

#include <mote/abi.h>

enum kind {
    OUT,
    IN,
    LOAD,
    STORE,
    HLT,
    HLT_STI,
    TRIPLE,
    RDMSR,
    WRMSR,
    VMCALL,
    VMMCALL,
    CR0_PG,
    CR4_PAE,
    HC,
    NKINDS
};

static const char *const names[NKINDS] = {
    "out",   "in",    "load",   "store",   "hlt",    "hlt-sti", "triple",
    "rdmsr", "wrmsr", "vmcall", "vmmcall", "cr0-pg", "cr4-pae", "hc",
};

static struct {
    enum kind kind;
    uint64_t arg;
    unsigned size;
} the;

static void hcall(unsigned nr, void *arg)
{
    __asm__ volatile("outl %0, %1"
                     :
                     : "a"((uint32_t)(uintptr_t)arg),
                       "d"((uint16_t)(MOTE_HC_PORT_BASE + nr))
                     : "memory");
}

static void say(const char *s)
{
    static struct mote_hc_console c;
    uint64_t n = 0;

    while (s[n])
        n++;
    c = (struct mote_hc_console){ .buf = (uintptr_t)s, .len = n };
    hcall(MOTE_HC_CONSOLE, &c);
}

static void leave(int64_t status)
{
    static struct mote_hc_exit e;

    e.status = status;
    hcall(MOTE_HC_EXIT, &e);
    for (;;)
        ;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* A number in C syntax (0x... or decimal); -1 if it is none. */
static int number(const char *s, uint64_t *v)
{
    unsigned base = 10;

    *v = 0;
    if (s[0] == '0' && s[1] == 'x')
        base = 16, s += 2;
    if (!*s)
        return -1;
    for (; *s; s++) {
        unsigned d = *s >= '0' && *s <= '9'   ? (unsigned)(*s - '0')
                     : *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10)
                                              : 99;

        if (d >= base)
            return -1;
        *v = *v * base + d;
    }
    return 0;
}

static int parse(const struct mote_bootinfo *bi, char **argv, uint64_t argc)
{
    unsigned k = 0;

    while (k < NKINDS && !streq(argv[1], names[k]))
        k++;
    if (k == NKINDS)
        return -1;
    the.kind = (enum kind)k;
    if (argc > 2 && streq(argv[2], "end"))
        the.arg = bi->mem_base + bi->mem_size;
    else if (argc > 2 && number(argv[2], &the.arg) < 0)
        return -1;
    the.size = 4;
    if (argc > 3) {
        uint64_t s;

        if (number(argv[3], &s) < 0 || s > 0xffff ||
            (k != HC && s != 1 && s != 2 && s != 4))
            return -1;
        the.size = (unsigned)s; /* hc: the hypercall number */
    }
    return 0;
}

/* Ring 3: pick the attack from argv, say which, and return to raise it. */
void ring0_pick(const struct mote_bootinfo *bi)
{
    char **argv = (char **)(uintptr_t)bi->argv;

    if (bi->argc < 2 || parse(bi, argv, bi->argc) < 0) {
        say("usage: ring0 ATTACK [ARG [SIZE]] (see tests/ring0/attack.c)\n");
        leave(2);
    }
    say("ring0: at ring 0 now: ");
    say(argv[1]);
    say("\n");
}

static void port(void)
{
    uint16_t p = (uint16_t)the.arg;
    uint32_t v = 0;

    if (the.kind == OUT && the.size == 1)
        __asm__ volatile("outb %b0, %1" : : "a"(v), "d"(p));
    else if (the.kind == OUT && the.size == 2)
        __asm__ volatile("outw %w0, %1" : : "a"(v), "d"(p));
    else if (the.kind == OUT)
        __asm__ volatile("outl %0, %1" : : "a"(v), "d"(p));
    else if (the.size == 1)
        __asm__ volatile("inb %1, %b0" : "+a"(v) : "d"(p));
    else if (the.size == 2)
        __asm__ volatile("inw %1, %w0" : "+a"(v) : "d"(p));
    else
        __asm__ volatile("inl %1, %0" : "=a"(v) : "d"(p));
}

/* Page tables of its own: the first GiB identity mapped (its RAM, the
 * monitor's tables, the exception stack) and the 2 MiB page of addr, all
 * in 2 MiB pages, supervisor, read-write. */
#define PTE_P 0x1ULL
#define PTE_W 0x2ULL
#define PTE_PS 0x80ULL
#define MIB2 0x200000ULL

static uint64_t pool[8][512] __attribute__((aligned(4096)));
static unsigned used;

static uint64_t *below(uint64_t *t, unsigned i)
{
    if (!(t[i] & PTE_P))
        t[i] = (uintptr_t)pool[used++] | PTE_P | PTE_W;
    return (uint64_t *)(uintptr_t)(t[i] & ~0xfffULL);
}

static void map(uint64_t *pml4, uint64_t va)
{
    uint64_t *pdpt = below(pml4, (va >> 39) & 511);
    uint64_t *pd = below(pdpt, (va >> 30) & 511);

    pd[(va >> 21) & 511] = (va & ~(MIB2 - 1)) | PTE_P | PTE_W | PTE_PS;
}

static void own_paging(uint64_t addr)
{
    uint64_t *pml4 = pool[used++];

    for (uint64_t va = 0; va < 512 * MIB2; va += MIB2)
        map(pml4, va);
    map(pml4, addr);
    __asm__ volatile("mov %0, %%cr3" : : "r"(pml4) : "memory");
}

static void memory(void)
{
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)the.arg;

    own_paging(the.arg);
    if (the.kind == LOAD)
        (void)*p;
    else
        *p = 0x6d6f7465;
}

static void control(void)
{
    static const struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) null_idt = { 0, 0 };
    uint64_t r;

    switch (the.kind) {
    case HLT: __asm__ volatile("cli; hlt"); break;
    case HLT_STI: __asm__ volatile("sti; hlt; cli"); break;
    case TRIPLE: __asm__ volatile("lidt %0; int3" : : "m"(null_idt)); break;
    case CR0_PG:
        __asm__ volatile("mov %%cr0, %0" : "=r"(r));
        __asm__ volatile("mov %0, %%cr0" : : "r"(r & ~(1ULL << 31)));
        break;
    case CR4_PAE:
        __asm__ volatile("mov %%cr4, %0" : "=r"(r));
        __asm__ volatile("mov %0, %%cr4" : : "r"(r & ~(1ULL << 5)));
        break;
    default: break;
    }
}

/* rdmsr, wrmsr, vmcall, vmmcall: what %rax held after, or came back. */
static uint64_t special(void)
{
    uint32_t lo = 0x12345678, hi = 0;
    uint64_t rax = 0x6d6f7465; /* no KVM hypercall number */

    switch (the.kind) {
    case RDMSR:
        __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"((uint32_t)the.arg));
        return (uint64_t)hi << 32 | lo;
    case WRMSR:
        __asm__ volatile("wrmsr" : : "a"(lo), "d"(hi), "c"((uint32_t)the.arg));
        return 0;
    case VMCALL:
        __asm__ volatile("vmcall" : "+a"(rax) : : "rbx", "rcx", "rdx", "rsi");
        return rax;
    case VMMCALL:
        __asm__ volatile("vmmcall" : "+a"(rax) : : "rbx", "rcx", "rdx", "rsi");
        return rax;
    default: return 0;
    }
}

static void hex(uint64_t v)
{
    static char s[19] = "0x";

    for (int i = 0; i < 16; i++)
        s[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    say(s);
}

/* Ring 0: run it; if the guest is still here after, say so and exit 3. */
void ring0_attack(void)
{
    uint64_t v = 0;

    if (the.kind == HC)
        hcall(the.size, (void *)(uintptr_t)the.arg);
    else if (the.kind == OUT || the.kind == IN)
        port();
    else if (the.kind == LOAD || the.kind == STORE)
        memory();
    else if (the.kind >= RDMSR && the.kind <= VMMCALL)
        v = special();
    else
        control();
    say("ring0: ");
    say(names[the.kind]);
    say(" came back, rax ");
    hex(v);
    say("\n");
    leave(3);
}
