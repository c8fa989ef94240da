/* x86_64 libOS entry: stack, boot note, ring-0 exception stubs. */
#include <mote/abi.h>

    .section .text.boot, "ax"
    .global _start
_start:
    /* ring 3, long mode, %rdi = boot info; the stack is ours to set */
    lea     __stack_top(%rip), %rsp
    xor     %ebp, %ebp
    call    mote_boot
    ud2

/*
 * Exception stubs, 16 bytes apart: the monitor points IDT gate N at
 * exc_entry + 16 * N. They run at ring 0 on the monitor's exception stack,
 * so they touch no SSE state and call no C: they build a struct
 * mote_hc_crash on the stack and hand it to the crash hypercall.
 */
.macro EXC_STUB vec, has_err
    .balign 16
    .if \has_err == 0
    pushq   $0
    .endif
    pushq   $\vec
    jmp     exc_common
.endm

    .balign 16
    .global __mote_exc_entry
__mote_exc_entry:
    EXC_STUB 0, 0
    EXC_STUB 1, 0
    EXC_STUB 2, 0
    EXC_STUB 3, 0
    EXC_STUB 4, 0
    EXC_STUB 5, 0
    EXC_STUB 6, 0
    EXC_STUB 7, 0
    EXC_STUB 8, 1
    EXC_STUB 9, 0
    EXC_STUB 10, 1
    EXC_STUB 11, 1
    EXC_STUB 12, 1
    EXC_STUB 13, 1
    EXC_STUB 14, 1
    EXC_STUB 15, 0
    EXC_STUB 16, 0
    EXC_STUB 17, 1
    EXC_STUB 18, 0
    EXC_STUB 19, 0
    EXC_STUB 20, 0
    EXC_STUB 21, 1
    EXC_STUB 22, 0
    EXC_STUB 23, 0
    EXC_STUB 24, 0
    EXC_STUB 25, 0
    EXC_STUB 26, 0
    EXC_STUB 27, 0
    EXC_STUB 28, 0
    EXC_STUB 29, 1
    EXC_STUB 30, 1
    EXC_STUB 31, 0

/* stack: vector, error, rip, cs, rflags, rsp, ss */
exc_common:
    mov     %cr2, %rax
    /* push struct mote_hc_crash's fields last to first; each push moves
     * the original frame 8 bytes further from %rsp */
    pushq   32(%rsp)            /* flags  <- rflags */
    pushq   %rax                /* addr   <- cr2 */
    pushq   56(%rsp)            /* sp     <- rsp */
    pushq   40(%rsp)            /* pc     <- rip */
    pushq   40(%rsp)            /* error */
    pushq   40(%rsp)            /* vector */
    mov     %rsp, %rax
    mov     $(MOTE_HC_PORT_BASE + MOTE_HC_CRASH), %dx
    outl    %eax, %dx
1:  hlt
    jmp     1b

/* The network stack receives with MOTE_HC_NET_RECV_WAIT; the C library's
 * TLS needs the monitor to set the FS base (MOTE_HC_SET_TP). */
#define LIBOS_REQUIRES (MOTE_FEAT_NET_RECV_WAIT | MOTE_FEAT_SET_TP)
#include "../bootnote.inc"

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  256 * 1024
__stack_top:
