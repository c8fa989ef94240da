/* The x86 ring-0 attacker's entry, boot note and exception stubs: no
 * libOS. _start (ring 3) picks the attack, then int3 (gate DPL 3) enters
 * the vector-3 stub at ring 0, which runs it. Every other vector reports
 * a crash through the crash hypercall, as the libOS's stubs do. */
#include <mote/abi.h>

#define LIBOS_REQUIRES 0
#include "../../unikernel/arch/bootnote.inc"

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  16384
stack_top:

    .section .text.boot, "ax"
    .global _start
_start:
    lea     stack_top(%rip), %rsp
    xor     %ebp, %ebp
    call    ring0_pick          /* %rdi: the boot info; exits if no attack */
    int3                        /* to ring 0: the vector-3 stub */
    ud2

.macro STUB vec, has_err
    .balign 16
    .if \has_err == 0
    pushq   $0
    .endif
    pushq   $\vec
    jmp     report
.endm

    .balign 16
    .global __mote_exc_entry
__mote_exc_entry:
    STUB 0, 0
    STUB 1, 0
    STUB 2, 0
    .balign 16                  /* vector 3: the attack, at ring 0 */
    jmp     attack
    STUB 4, 0
    STUB 5, 0
    STUB 6, 0
    STUB 7, 0
    STUB 8, 1
    STUB 9, 0
    STUB 10, 1
    STUB 11, 1
    STUB 12, 1
    STUB 13, 1
    STUB 14, 1
    STUB 15, 0
    STUB 16, 0
    STUB 17, 1
    STUB 18, 0
    STUB 19, 0
    STUB 20, 0
    STUB 21, 1
    STUB 22, 0
    STUB 23, 0
    STUB 24, 0
    STUB 25, 0
    STUB 26, 0
    STUB 27, 0
    STUB 28, 0
    STUB 29, 1
    STUB 30, 1
    STUB 31, 0

/* The CPU pushed 5 words (rsp now 8 mod 16): one more, and C may run. */
attack:
    sub     $8, %rsp
    call    ring0_attack        /* returns only if the attack came back */
    ud2

/* stack: vector, error, rip, cs, rflags, rsp, ss: a struct mote_hc_crash
 * built below it, pushed last field first */
report:
    mov     %cr2, %rax
    pushq   32(%rsp)            /* flags */
    pushq   %rax                /* addr */
    pushq   56(%rsp)            /* sp */
    pushq   40(%rsp)            /* pc */
    pushq   40(%rsp)            /* error */
    pushq   40(%rsp)            /* vector */
    mov     %rsp, %rax
    mov     $(MOTE_HC_PORT_BASE + MOTE_HC_CRASH), %dx
    outl    %eax, %dx
1:  hlt
    jmp     1b

    .section .note.GNU-stack, "", @progbits
