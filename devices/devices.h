/* Host-side device backends behind the hypercalls: one setup call each. */
#ifndef MOTE_DEVICES_H
#define MOTE_DEVICES_H

#include "../monitor/vm.h"

/* Console: guest writes go to out_fd (normally stdout). */
int console_setup(struct vm *vm, int out_fd);

#endif
