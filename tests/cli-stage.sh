#!/bin/sh
# Stage tests/cli.sh for an emulated lab: the unsigned images it runs and
# its appliance (tests/data/cli-app.c) built here with that arch's mote-cc,
# since the lab has no compiler; the lab runs
#   MOTE_CLI_APP=./cli/app.elf sh ./cli.sh ./cli ./mote ARCH
# Usage: cli-stage.sh ARCH_BUILD_DIR STAGE_DIR
ab=$1 stage=$2
mkdir -p "$stage/cli/tests" &&
    cp tests/cli.sh "$stage/" &&
    cp "$ab/hello.elf" "$stage/cli/" &&
    for t in bigbss spin counter disk nethostile hold; do
        cp "$ab/tests/$t.elf" "$stage/cli/tests/" || exit 1
    done &&
    "$ab/mote-cc" -o "$stage/cli/app.elf" tests/data/cli-app.c
