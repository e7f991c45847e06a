mov %r0, 1
jeq %r0, 0, -2
