call local f
exit
f:
mov %r0, 42
exit
