call local f
exit
f:
mov %r0, %r10
exit
