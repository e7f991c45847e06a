call local f
exit
f:
mov %r0, 5
exit
