# cmocka tests of the guest's pure code: the libOS's IP stack and the
# appliances' logic, compiled for the host from the guest sources (with
# the host's libc; the libOS's own headers only after the host's).

NET_UNIT_NAMES := net_csum net_parse net_arp net_icmp net_udp net_dhcp \
	net_config kvstore sensor
NET_UNIT_SRC := $(filter-out unikernel/net/net_mote.c, \
	$(wildcard unikernel/net/*.c)) tests/unit/net_fake.c
NET_UNIT_HDR := $(wildcard unikernel/net/*.h) unikernel/include/mote/net.h \
	tests/unit/net_fake.h
NET_UNIT_CFLAGS := $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
	-idirafter unikernel/include -Iunikernel/net -Itests/unit
KV_UNIT_SRC := $(filter-out examples/kvstore/main.c, \
	$(wildcard examples/kvstore/*.c))
SENSOR_UNIT_SRC := $(filter-out examples/sensor/main.c, \
	$(wildcard examples/sensor/*.c))

$(AB)/tests/unit/test_net_%: tests/unit/test_net_%.c $(NET_UNIT_SRC) \
		$(NET_UNIT_HDR)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(NET_UNIT_CFLAGS) $(filter %.c,$^) -lcmocka -o $@

$(AB)/tests/unit/test_kvstore: tests/unit/test_kvstore.c $(KV_UNIT_SRC) \
		$(wildcard examples/kvstore/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(NET_UNIT_CFLAGS) -Iexamples/kvstore $(filter %.c,$^) \
		-lcmocka -o $@

$(AB)/tests/unit/test_sensor: tests/unit/test_sensor.c $(SENSOR_UNIT_SRC) \
		$(NET_UNIT_SRC) $(wildcard examples/sensor/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(NET_UNIT_CFLAGS) -Iexamples/sensor $(filter %.c,$^) \
		-lcmocka -o $@

UNIT_BINS += $(patsubst %,$(AB)/tests/unit/test_%,$(NET_UNIT_NAMES))
