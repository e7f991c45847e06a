mov %r0, 0
ja32 +2
add %r0, 10
exit
add %r0, 1
jeq %r0, 1, -4
exit
