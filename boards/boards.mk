# Board profiles: boards/*.board compiled into the monitor as text, parsed
# at run time by monitor/board.c (so a copied static mote needs no files).

BOARD_FILES := $(sort $(wildcard boards/*.board))
BOARD_GEN := $(AB)/gen/boards.c
BOARD_OBJ := $(AB)/obj/gen/boards.o
MON_OBJ += $(BOARD_OBJ)
MON_LIBS += -lfdt # host board detection reads the firmware tree

$(BOARD_GEN): $(BOARD_FILES) boards/gen.sh
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)boards/gen.sh $(BOARD_FILES) >$@

$(BOARD_OBJ): $(BOARD_GEN)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(MON_CFLAGS) -Imonitor -c $< -o $@
