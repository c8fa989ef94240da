# cmocka tests of the appliances' own logic (the kvstore's log and
# protocol, the sensor's arguments and samples), compiled for the host
# from the guest sources with the host's libc.

APP_UNIT_NAMES := kvstore sensor
APP_UNIT_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
	-idirafter unikernel/include -Itests/unit
KV_UNIT_SRC := $(filter-out examples/kvstore/main.c, \
	$(wildcard examples/kvstore/*.c))
SENSOR_UNIT_SRC := $(filter-out examples/sensor/main.c, \
	$(wildcard examples/sensor/*.c))

$(AB)/tests/unit/test_kvstore: tests/unit/test_kvstore.c $(KV_UNIT_SRC) \
		$(wildcard examples/kvstore/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(APP_UNIT_CFLAGS) -Iexamples/kvstore $(filter %.c,$^) \
		$(UNIT_CROSS) -lcmocka -o $@

$(AB)/tests/unit/test_sensor: tests/unit/test_sensor.c $(SENSOR_UNIT_SRC) \
		$(wildcard examples/sensor/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(APP_UNIT_CFLAGS) -Iexamples/sensor $(filter %.c,$^) \
		$(UNIT_CROSS) -lcmocka -o $@

UNIT_BINS += $(patsubst %,$(AB)/tests/unit/test_%,$(APP_UNIT_NAMES))
