/* Crash backtraces: walking a guest's frame-pointer chain, naming frames. */
#ifndef MOTE_BACKTRACE_H
#define MOTE_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>

#define BT_MAX 32 /* frames, the faulting pc included */

struct backtrace {
    unsigned n;
    uint64_t pc[BT_MAX]; /* pc[0] faulted; the rest are return addresses */
    /*
     * Where the function at pc[0] returns to if it has no frame record of
     * its own (compilers leave them out of functions that call nothing):
     * the arch's guess, already checked to follow a call; 0 when none.
     */
    uint64_t leaf_ret;
};

/* Where a walk starts: the faulting code's pc, frame pointer and sp. */
struct bt_regs {
    uint64_t pc, fp, sp;
};

/* Read the 8 bytes at guest address addr into *v: 0, or -1 if unreadable. */
typedef int (*bt_read_fn)(void *ctx, uint64_t addr, uint64_t *v);

/*
 * Walk the frame records from fp, each { previous fp, return address }:
 * bt gets pc, then up to BT_MAX - 1 return addresses. The walk ends at a
 * null, misaligned, unreadable or non-increasing fp or a null return
 * address, so any chain a hostile guest makes ends within BT_MAX frames.
 */
void bt_walk(struct backtrace *bt, uint64_t pc, uint64_t fp, bt_read_fn read,
             void *ctx);

struct sym_table;
struct vm;

/*
 * Record the crashed guest's backtrace from r (from the vCPU when r is
 * NULL), reading the chain through gpa_ptr() only. An empty bt when the
 * registers cannot be read.
 */
void bt_capture(struct vm *vm, struct backtrace *bt, const struct bt_regs *r);

/*
 * Put leaf_ret in as frame 1 when the symbols say it belongs there: it
 * lies in a function other than pc[0]'s and is not already frame 1.
 */
void bt_resolve(struct backtrace *bt, const struct sym_table *syms);

/*
 * Format frame i of bt as "#i 0xPC name+0xOFF" (just the address when no
 * symbol covers it) into buf[size]. Return addresses (i > 0) are looked up
 * one byte back, inside the call that made them.
 */
void bt_format(const struct backtrace *bt, unsigned i,
               const struct sym_table *syms, char *buf, size_t size);

#endif
