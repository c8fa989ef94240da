/* aarch64 libOS entry: stacks, boot note, EL1 exception vectors. */
#include <mote/abi.h>

/* Load a symbol's address (the image is linked, not relocated). */
.macro ADDR reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    /*
     * EL1h, DAIF masked, MMU on; x0 = device tree, x1 = boot info. SP_EL1
     * becomes the exception stack; C code runs on SP_EL0 (EL1t), so even a
     * stack overflow is reported on a stack that works.
     */
    ADDR    x2, __exc_stack_top
    mov     sp, x2
    msr     spsel, #0
    ADDR    x2, __stack_top
    mov     sp, x2
    mov     x29, #0
    mov     x30, #0
    mov     x0, x1
    bl      mote_boot
    udf     #0

/*
 * The vector table: 16 entries of 128 bytes; the monitor loads its address
 * (the boot note's exc_entry) into VBAR_EL1. Every entry reports a crash:
 * x1 = the stack pointer of the code that faulted.
 */
.macro VEC_SP0
    .balign 128
    mrs     x1, sp_el0
    b       exc_common
.endm
.macro VEC_SPX
    .balign 128
    mov     x1, sp
    b       exc_common
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global __mote_exc_entry
__mote_exc_entry:
    VEC_SP0             /* current EL, SP_EL0: sync, IRQ, FIQ, SError */
    VEC_SP0
    VEC_SP0
    VEC_SP0
    VEC_SPX             /* current EL, SP_EL1 */
    VEC_SPX
    VEC_SPX
    VEC_SPX
    VEC_SP0             /* lower EL, AArch64 */
    VEC_SP0
    VEC_SP0
    VEC_SP0
    VEC_SP0             /* lower EL, AArch32 */
    VEC_SP0
    VEC_SP0
    VEC_SP0

/*
 * Build a struct mote_hc_crash on a fresh exception stack and hand it to
 * the crash hypercall; no C, no FP/SIMD. The stack is reset each time, so
 * a fault in here cannot overflow it.
 */
exc_common:
    ADDR    x0, __exc_stack_top
    sub     sp, x0, #48
    mrs     x2, esr_el1
    lsr     x3, x2, #26         /* vector <- ESR_EL1.EC */
    stp     x3, x2, [sp]        /* vector, error */
    mrs     x2, elr_el1
    stp     x2, x1, [sp, #16]   /* pc, sp */
    mrs     x2, far_el1         /* valid for aborts and watchpoints */
    sub     x4, x3, #0x20
    cmp     x4, #0x25 - 0x20
    b.ls    2f
    sub     x4, x3, #0x34
    cmp     x4, #1
    b.ls    2f
    mov     x2, #0
2:  mrs     x3, spsr_el1
    stp     x2, x3, [sp, #32]   /* addr, flags */
    mov     x0, sp
    ldr     x2, =(MOTE_HC_MMIO_BASE + 8 * MOTE_HC_CRASH)
    dsb     ish
    str     x0, [x2]
1:  wfi
    b       1b
    .ltorg

/* The network stack receives with MOTE_HC_NET_RECV_WAIT. */
#define LIBOS_REQUIRES MOTE_FEAT_NET_RECV_WAIT
#include "../bootnote.inc"

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  256 * 1024
__stack_top:
    .space  16 * 1024
__exc_stack_top:
