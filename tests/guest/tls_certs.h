/*
 * TLS test certificates for localhost, valid from 2000 to 2100, made by
 * tests/tls-certs.sh; never use them for anything real. EC: a P-384 CA,
 * a P-256 server key, ECDSA with SHA-256 (the shape of mbedtls's own EC
 * test chain). RSA: 2048 bits, SHA-256. Sizes count the final NUL, as
 * mbedtls's PEM parsers want.
 */
#ifndef MOTE_TLS_CERTS_H
#define MOTE_TLS_CERTS_H

static const char tls_ca_ec[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIByTCCAVCgAwIBAgIBATAKBggqhkjOPQQDAjAtMQ0wCwYDVQQKDARtb3RlMRww\n"
    "GgYDVQQDDBNtb3RlIFRMUyB0ZXN0IEVDIENBMCAXDTAwMDEwMTAwMDAwMFoYDzIx\n"
    "MDAwMTAxMDAwMDAwWjAtMQ0wCwYDVQQKDARtb3RlMRwwGgYDVQQDDBNtb3RlIFRM\n"
    "UyB0ZXN0IEVDIENBMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE5oRW0WTEmtMbRnPZ\n"
    "6WNKfwuoe153XPikRU+UojcJz+3Ce+k/GqG1NBpG27F3zOybpxgggJXEVuRykuKQ\n"
    "y3UU0BrMEbuAXhiboU8jLLoQZeoRvkOe8lYV21VkrsDqDr6ro0IwQDAPBgNVHRMB\n"
    "Af8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQU0JKuINwtkikKRcP3\n"
    "SAEf23nJsswwCgYIKoZIzj0EAwIDZwAwZAIwYT3XOd5l86ywKfeG3PTCnFFZo5NO\n"
    "K4T2qDybqKOFNseou65gB+kOkGnUHfZbTDV9AjBpbwle5FOabdDWTQlvr+h452xs\n"
    "U0AY0aMgjWMQHJkmDEYWhPSS5l6hEpS5gCQdesA=\n"
    "-----END CERTIFICATE-----\n";
static const char tls_srv_ec_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBwzCCAUqgAwIBAgIBAjAKBggqhkjOPQQDAjAtMQ0wCwYDVQQKDARtb3RlMRww\n"
    "GgYDVQQDDBNtb3RlIFRMUyB0ZXN0IEVDIENBMCAXDTAwMDEwMTAwMDAwMFoYDzIx\n"
    "MDAwMTAxMDAwMDAwWjAjMQ0wCwYDVQQKDARtb3RlMRIwEAYDVQQDDAlsb2NhbGhv\n"
    "c3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATx+RZMQPQGZpL6LNI53LNvd+al\n"
    "ShqGp41g8qOXiHLo2pxgqSBCX0axruZ2RHLnhugPLqzFvzrEgAGzO9qV0ihBo2Mw\n"
    "YTAJBgNVHRMEAjAAMBQGA1UdEQQNMAuCCWxvY2FsaG9zdDAfBgNVHSMEGDAWgBTQ\n"
    "kq4g3C2SKQpFw/dIAR/becmyzDAdBgNVHQ4EFgQUdQd/VW5/MWtEeiP/Zq5xxFSh\n"
    "tUMwCgYIKoZIzj0EAwIDZwAwZAIwVNh7vfL6jnn5oKjAZjHb3+AA3GXzqdf/krrc\n"
    "2d0drIOnn3nR0MUeeE5Pvt5KvwZGAjAYsjNf+3NuC1BaRuskr+dI8rFvHijX2Z1E\n"
    "zzSaKvUu6LCxZ2fk/IsignPvmzWb+yo=\n"
    "-----END CERTIFICATE-----\n";
static const char tls_srv_ec_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1VdE09ETINW7Mvpw\n"
    "JJcdsE0/nGY7YcjGHajhN/3+vEWhRANCAATx+RZMQPQGZpL6LNI53LNvd+alShqG\n"
    "p41g8qOXiHLo2pxgqSBCX0axruZ2RHLnhugPLqzFvzrEgAGzO9qV0ihB\n"
    "-----END PRIVATE KEY-----\n";
static const char tls_ca_rsa[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDGzCCAgOgAwIBAgIBAzANBgkqhkiG9w0BAQsFADAuMQ0wCwYDVQQKDARtb3Rl\n"
    "MR0wGwYDVQQDDBRtb3RlIFRMUyB0ZXN0IFJTQSBDQTAgFw0wMDAxMDEwMDAwMDBa\n"
    "GA8yMTAwMDEwMTAwMDAwMFowLjENMAsGA1UECgwEbW90ZTEdMBsGA1UEAwwUbW90\n"
    "ZSBUTFMgdGVzdCBSU0EgQ0EwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB\n"
    "AQCeyKxgcd8h5yy/3pIYNdfjmc4XRPIlauMVkhNINYIL6PPAVK2fBh6sGpmBMUue\n"
    "xM7jMOCYWKdYfeqmNW85RRCcY7kBQKBFrti5WSW/zM0YcLY7mGjLIddN8wmikU9B\n"
    "26mtamITbkDG2jChKj6e/u1/AcL5W9yRPO2jjYjQxUINEGDGIg0RsHE/anVsn1AQ\n"
    "0kR5IlqQavi0MgmmLMLFGLRlcOo27+Wx6GR+xZ+eIO5LFmey7tYX+uusuRHmP8/N\n"
    "V5ufa+YpcyDahKYHN7ojU0NHIDOkd/dV19zrKvUzWxS89AGkzLChzMY98n0EvCxS\n"
    "eZwvWOsuYH4vjsM5HPBsDqTXAgMBAAGjQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYD\n"
    "VR0PAQH/BAQDAgEGMB0GA1UdDgQWBBRgN4WTBcsY4WZtf/AtUJZEifbTXjANBgkq\n"
    "hkiG9w0BAQsFAAOCAQEAZKTomIQ6SxRwTqd/MzcWnR5oHFI8FplSNwg8zFwUlW0V\n"
    "/rFv9DF++3acu+jpsDxzg5dHvx6kQBuQ2hXb8ulb1CfpfLZw3ASvN0tT7o5r6Sfq\n"
    "WmqhlVxaCFEgm6ZeLlhZNhUeGPUE60MnQgMNdBfRxToYosOiQjAe+mpXl4Ln/eQW\n"
    "DDA3gHj7o3uoF6ntgWj0TB4+Dz7BVgizAlLpomwS/p2u+YTc4do55eMrC8XY76n+\n"
    "BTHJm3YF1xZ7ebFDrTJxtxqFPhFocwyNy6eKtKyQm/ee5EvMDRTUQgYop/UTss4Q\n"
    "JL25ygrNHfmnPbjc2To/VDA0kGlJlN493UCJxLjNHA==\n"
    "-----END CERTIFICATE-----\n";
static const char tls_srv_rsa_crt[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDMTCCAhmgAwIBAgIBBDANBgkqhkiG9w0BAQsFADAuMQ0wCwYDVQQKDARtb3Rl\n"
    "MR0wGwYDVQQDDBRtb3RlIFRMUyB0ZXN0IFJTQSBDQTAgFw0wMDAxMDEwMDAwMDBa\n"
    "GA8yMTAwMDEwMTAwMDAwMFowIzENMAsGA1UECgwEbW90ZTESMBAGA1UEAwwJbG9j\n"
    "YWxob3N0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAseffypKiikjl\n"
    "RWy8k7dztNcns5Wpp+wEBn4KQB0EvylB/IDacIrfqPWzrR8OQvYZzkUqNV9gDqPs\n"
    "qG9iZwqdVQ7fZByLzXgrgiTAy3b4A+HIJlvIiVg6Mam/8abTMML5fJiT4E5iylzB\n"
    "NJXlUbofheT9MfTkB8QuQvhtkkvtjoh+xOldH3fm3F9ZMSrH1RfzmRW43+HEX4ec\n"
    "5sL+kNLuw6upr74IOnPfQZzxMOOXSzko7NX4/D+WfXzQ/iYkS5NOLl6aIQHzGSJb\n"
    "xRh7Ko42VgWtCpHN8ANrnCEQTFpVemMFoJg6v5WQJjp8pFwAYxndOChI2x01cjUT\n"
    "JCqgX7cEsQIDAQABo2MwYTAJBgNVHRMEAjAAMBQGA1UdEQQNMAuCCWxvY2FsaG9z\n"
    "dDAfBgNVHSMEGDAWgBRgN4WTBcsY4WZtf/AtUJZEifbTXjAdBgNVHQ4EFgQUCZFM\n"
    "MOgXsrDMAcQgy7zkvCZjScwwDQYJKoZIhvcNAQELBQADggEBAIZYobNlqn8zk7n6\n"
    "u/R7At3vqMfdbNrcIU0S7jXK/b7deoV+pbiJgb6+wOir0kJamMKCa0PoY6bJGqyh\n"
    "DV90400bVY9bpsAiwpwgkVRVyuSzkNkOMMkv199rpNPlLPlXyBkH6tD57jRl9LmD\n"
    "TNaBH4NSbmwoWtRvcEUAEBkSX+k2xBGRYRFoEdqPM0A72oraKHf1qd5JgjxshMJg\n"
    "A88N5CmOII5/AscEg3sCbNyIU42IAOm1ABI343mHGTm5LBDsciEwyc2sCfINyVGc\n"
    "FfS8PTt5Zrwvsy28U7G3sSOT/xOt4SdM+bcmYpZ17l4m2LjQyH5Rh4TxXRvR+D6+\n"
    "s+KHQ/k=\n"
    "-----END CERTIFICATE-----\n";
static const char tls_srv_rsa_key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCx59/KkqKKSOVF\n"
    "bLyTt3O01yezlamn7AQGfgpAHQS/KUH8gNpwit+o9bOtHw5C9hnORSo1X2AOo+yo\n"
    "b2JnCp1VDt9kHIvNeCuCJMDLdvgD4cgmW8iJWDoxqb/xptMwwvl8mJPgTmLKXME0\n"
    "leVRuh+F5P0x9OQHxC5C+G2SS+2OiH7E6V0fd+bcX1kxKsfVF/OZFbjf4cRfh5zm\n"
    "wv6Q0u7Dq6mvvgg6c99BnPEw45dLOSjs1fj8P5Z9fND+JiRLk04uXpohAfMZIlvF\n"
    "GHsqjjZWBa0Kkc3wA2ucIRBMWlV6YwWgmDq/lZAmOnykXABjGd04KEjbHTVyNRMk\n"
    "KqBftwSxAgMBAAECggEARuzhx+FowoeoO+LLVXq0Otrx/YMDpaoOusXh8UiAXXOl\n"
    "1nRKYcbDvxjhXnn8lg6GIDlrx+ZzpbKNhWMOkHTnX4Mz5TYKOEqZ0eM0J4mQ+/81\n"
    "67D4xGSzopwBpWX0WULJ8vXjMnAdq36KGhxOVaRFr/woQxPWGxCHvvRKvqHdnc47\n"
    "xQ9gfyb7o2T0We6iFItR2QtxByr1ZsdgXiYYvu9DXbEC+cNLTQLDQOONxaWKe5j0\n"
    "6A8fnNkqmAOb05A0LPoRI5I1E05UYZBZ1j4MN28SKQ3kOMP4RcuIOlbtA9mExIcX\n"
    "RmDpL+9ITEeLOpiYv5khI3xJOJ+RbrXju7fqsxbDrwKBgQDZ374aK6E0FzozF6uV\n"
    "+bs+E/6RGNiJzhOjk4CYcJWg0UacvT3UmSHPXCJapHQDUpDumIxk2FD7ZK4h4hSu\n"
    "IaqHJDFuPHE7T/b+WXEi/tBgVuUj7Y+S9sGpgdPr0+1ABph1IbjbL9nKZqaDBjhi\n"
    "/H+G34v5O/pTjvg7j/W/AmWzBwKBgQDRCaVZq0svZfck8czLrjVj7C7rg17Wy/Cp\n"
    "xi/E1EeR6C5wbz4jKBQDVC9Euj+sfp9RAb40LtHl4RGgUVXXGDdn+ih2R6jMwTsM\n"
    "OkR43gjsO28VlRKkTjucE9pJHNVFU01YuZ7DkTzf+i6akeDla3vI03mEE6DElCsv\n"
    "vH/zBoqEhwKBgAgZLPPEE2XgRyWHB7W3ZqJUE+5IwiO9KTW3UdxYsvcbUEibMCUq\n"
    "2/rdLdm4qydEdman/O/yqm/tuhtAUAx46+HCEqRKUtslicTChlYKqqwqDrJbLi8E\n"
    "RQaL8NifM/5hQGF6M2jSSoIfdqkAHjBvuj3FKWrGM/PPKKLuIvBKooUZAoGATSdP\n"
    "RVpo5LSw1Iz+tsq04A2jf7+8OHGLgU4qAW8Mf3j/8vXMLHO1d0kSLT7FE6ikquSG\n"
    "zIHfbQZ2WALNOReyE4mMd6OZVQGZBrlW3nmtN2v0YzXjbIuHiuL09XlT6kOFz9Kr\n"
    "G6m2m0CfBOQE6wiR5pzPRAVumD/L9NGRNCTc6W8CgYEAx40lixcdWtl60KJbQMRz\n"
    "jm7yPV8YeSqRrdoFtaKwqj0XP1C0OGrhvVOrQ2eIrTDZ/6qaYyt8R+VUK/vUnGot\n"
    "YjIXtqnyK6vF6yMPv6LGiwk8qhCZRRgfYVpgUjVfARBY89Kv1GAFCwQZy7j/KVDS\n"
    "u4JCqwLhTJETpf3f9bEhm2I=\n"
    "-----END PRIVATE KEY-----\n";

#endif
