# mqtt-sensor (examples/mqtt-sensor): a guest linked with mbedtls, and the
# same program built natively with the host's gcc and libmbedtls-dev
# (make mqtt-sensor-native: $(AB)/native/mqtt-sensor).
MQTT_SENSOR_SRC := $(wildcard examples/mqtt-sensor/*.c)
MQTT_SENSOR_NATIVE := $(AB)/native/mqtt-sensor

GUEST_LIBS_mqtt-sensor := $(MBEDTLS_LIBS)
MQTT_SENSOR_OBJ := $(patsubst %.c,$(AB)/guest/%.o,$(MQTT_SENSOR_SRC))
$(MQTT_SENSOR_OBJ): GUEST_CFLAGS += -isystem $(CURDIR)/$(MBEDTLS_DIR)/include
$(MQTT_SENSOR_OBJ): $(MBEDTLS_LIBS)

$(MQTT_SENSOR_NATIVE): $(MQTT_SENSOR_SRC) \
		$(wildcard examples/mqtt-sensor/*.h) unikernel/mbedtls/mote_compat.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
		-idirafter unikernel $(MQTT_SENSOR_SRC) \
		-lmbedtls -lmbedx509 -lmbedcrypto -o $@

mqtt-sensor-native: $(MQTT_SENSOR_NATIVE)

.PHONY: mqtt-sensor-native

# The codec and the queue, unit-tested on the host (tests/unit/test_mqtt.c).
$(AB)/tests/unit/test_mqtt: tests/unit/test_mqtt.c \
		examples/mqtt-sensor/mqtt.c examples/mqtt-sensor/queue.c \
		$(wildcard examples/mqtt-sensor/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
		-Iexamples/mqtt-sensor $(filter %.c,$^) -lcmocka -o $@

UNIT_BINS += $(AB)/tests/unit/test_mqtt
