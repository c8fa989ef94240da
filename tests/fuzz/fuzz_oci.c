/*
 * Fuzz target: an OCI bundle's config.json (monitor/oci_spec.c), as a
 * hostile engine user or image could write it. The bundle is a real
 * directory with a rootfs, so root.path can resolve.
 * Invariants: 0 or a negative errno with a message; on success the image
 * is process.args[0], absolute, argv NULL-terminated, counts in range.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../monitor/err.h"
#include "../../monitor/oci.h"
#include "fuzz.h"

static char bundle[64];

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static struct oci_spec s;
    char rootfs[96];
    int rc;

    if (!bundle[0]) {
        strcpy(bundle, "/tmp/mote-fuzz-oci.XXXXXX");
        FUZZ_CHECK(mkdtemp(bundle));
        snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
        FUZZ_CHECK(mkdir(rootfs, 0755) == 0);
    }
    memset(&s, 0, sizeof(s));
    strcpy(s.bundle, bundle);
    err_clear();
    rc = oci_spec_parse(&s, (const char *)d, n);
    if (rc < 0) {
        FUZZ_CHECK(err_msg()[0]);
    } else {
        FUZZ_CHECK(rc == 0 && s.argc >= 1 && s.image == s.argv[0] &&
                   s.image[0] == '/' && s.argv[s.argc] == NULL);
        FUZZ_CHECK(s.envc >= 0 && (s.envc == 0 || s.envp[s.envc] == NULL));
        FUZZ_CHECK(s.nns <= OCI_MAX_NS && s.ndisks <= OCI_MAX_DISKS &&
                   s.nrlimits <= OCI_MAX_RLIMITS);
        for (unsigned i = 0; i < s.ndisks; i++)
            FUZZ_CHECK(s.disks[i].name[0] && s.disks[i].source);
    }
    oci_spec_free(&s);
    return 0;
}
