mov %r0, 0
ja32 -0x80000000
exit
