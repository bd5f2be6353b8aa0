# SPDX-License-Identifier: GPL-2.0
# selftests/lib: the one helper library of the selftests, the netlink tests
# (selftests/netlink) and the benchmark (bench), like the kernel's
# tools/testing/selftests/cgroup/lib/libcgroup.mk.  Every helper returns 0 or
# a positive errno unless its header says otherwise.
#
# Set LIB_OUT (the directory for the objects) and CFLAGS, then include this
# file.  It defines
#   LIB_DIR   this directory (added to CFLAGS as -I)
#   LIB_HDR   its headers (a dependency of whatever includes them)
#   LIB_OBJ   its objects, built with $(CC) $(CFLAGS): link them into each
#             binary
# and the rule that builds them.

LIB_DIR := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
LIB_SRC := $(wildcard $(LIB_DIR)/*.c)
LIB_HDR := $(wildcard $(LIB_DIR)/*.h)
LIB_OBJ := $(patsubst $(LIB_DIR)/%.c,$(LIB_OUT)/%.o,$(LIB_SRC))

CFLAGS  += -I$(LIB_DIR)

$(LIB_OUT)/%.o: $(LIB_DIR)/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

.SECONDARY: $(LIB_OBJ)
