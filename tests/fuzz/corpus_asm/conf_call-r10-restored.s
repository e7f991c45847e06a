call local f
mov %r0, %r10
exit
f:
mov %r0, 1
exit
