# mqtt-sensor, built natively with the host's gcc and libmbedtls-dev:
# $(AB)/native/mqtt-sensor (make mqtt-sensor-native). The guest build comes
# with the libOS's sockets and the guest's mbedtls.
MQTT_SENSOR_SRC := $(wildcard examples/mqtt-sensor/src/*.c)
MQTT_SENSOR_NATIVE := $(AB)/native/mqtt-sensor

$(MQTT_SENSOR_NATIVE): $(MQTT_SENSOR_SRC) \
		$(wildcard examples/mqtt-sensor/src/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE $(MQTT_SENSOR_SRC) \
		-lmbedtls -lmbedx509 -lmbedcrypto -o $@

mqtt-sensor-native: $(MQTT_SENSOR_NATIVE)

.PHONY: mqtt-sensor-native

# The codec and the queue, unit-tested on the host (tests/unit/test_mqtt.c).
$(AB)/tests/unit/test_mqtt: tests/unit/test_mqtt.c \
		examples/mqtt-sensor/src/mqtt.c examples/mqtt-sensor/src/queue.c \
		$(wildcard examples/mqtt-sensor/src/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -std=gnu11 -D_GNU_SOURCE \
		-Iexamples/mqtt-sensor/src $(filter %.c,$^) -lcmocka -o $@

UNIT_BINS += $(AB)/tests/unit/test_mqtt
