lddw %r0, 5
