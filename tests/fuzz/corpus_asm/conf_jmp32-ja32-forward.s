mov %r0, 1
ja32 +1
mov %r0, 2
exit
